package io.podhogs.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;

/**
 * Ends a running capture loop from outside as libpcap ends it when it gives up on a handle: with
 * pcap_breakloop on its handle, found by walking the fields reachable from an engine or agent. The
 * capture has no fault hook of its own on purpose: production code does not carry test switches.
 */
public final class CaptureFaults {

    private CaptureFaults() {
    }

    /** Breaks the loop of every capture handle named {@code name} ("any", a device, ...); returns how many. */
    public static int breakLoop(Object root, String name) {
        List<Object> loops = new ArrayList<>();
        walk(root, loops, new IdentityHashMap<>(), 0);
        int broken = 0;
        for (Object loop : loops) {
            try {
                if (name.equals(field(loop, "name")) && !Boolean.TRUE.equals(field(loop, "stopping"))) {
                    ((PcapHandle) field(loop, "handle")).breakLoop();
                    broken++;
                }
            } catch (NotOpenException e) {
                // closed meanwhile: not running, nothing to break
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the capture loop's fields changed: update CaptureFaults", e);
            }
        }
        return broken;
    }

    /**
     * The BPF filter expression of every open capture handle reachable from {@code root}, by loop
     * name ("any", "any (connection starts)", a device): what the kernel filters with now.
     */
    public static List<Map.Entry<String, String>> filters(Object root) {
        List<Object> loops = new ArrayList<>();
        walk(root, loops, new IdentityHashMap<>(), 0);
        List<Map.Entry<String, String>> filters = new ArrayList<>();
        for (Object loop : loops) {
            try {
                PcapHandle handle = (PcapHandle) field(loop, "handle");
                if (handle.isOpen() && !Boolean.TRUE.equals(field(loop, "stopping"))) {
                    filters.add(Map.entry((String) field(loop, "name"), String.valueOf(handle.getFilteringExpression())));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the capture loop's fields changed: update CaptureFaults", e);
            }
        }
        return filters;
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    private static void walk(Object o, List<Object> loops, Map<Object, Boolean> seen, int depth) {
        if (o == null || depth > 10 || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Map<?, ?> || o instanceof Collection<?>) {
            List<Object> elements;
            try {
                elements = new ArrayList<>(o instanceof Map<?, ?> map ? map.values() : (Collection<?>) o);
            } catch (RuntimeException e) {
                return; // changed while copied by another thread: not where a capture's handles live
            }
            elements.forEach(v -> walk(v, loops, seen, depth + 1));
            return;
        }
        if (!o.getClass().getName().startsWith("io.podhogs")) {
            return;
        }
        if (o.getClass().getName().equals("io.podhogs.capture.CaptureLoop")) {
            loops.add(o);
            return;
        }
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType().isPrimitive() || Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    walk(f.get(o), loops, seen, depth + 1);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // not reachable this way
                }
            }
        }
    }
}
