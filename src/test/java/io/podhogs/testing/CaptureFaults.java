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
     * Makes the kernel hand the handles named {@code name} no frame at all, as a socket that went
     * deaf would be: a socket filter that rejects everything (BPF "ret #0") is attached to their
     * sockets behind libpcap's back, with setsockopt(SO_ATTACH_FILTER), which touches nothing of
     * libpcap's own state. Returns how many.
     */
    public static int deafen(Object root, String name) {
        List<Object> loops = new ArrayList<>();
        walk(root, loops, new IdentityHashMap<>(), 0);
        int deafened = 0;
        for (Object loop : loops) {
            try {
                PcapHandle handle = (PcapHandle) field(loop, "handle");
                if (!name.equals(field(loop, "name")) || !handle.isOpen() || Boolean.TRUE.equals(field(loop, "stopping"))) {
                    continue;
                }
                Field pointer = PcapHandle.class.getDeclaredField("handle");
                pointer.setAccessible(true);
                int fd = com.sun.jna.NativeLibrary.getInstance("pcap").getFunction("pcap_fileno")
                        .invokeInt(new Object[] {pointer.get(handle)});
                com.sun.jna.Memory reject = new com.sun.jna.Memory(8); // struct sock_filter { u16 code; u8 jt, jf; u32 k; }
                reject.clear();
                reject.setShort(0, (short) 0x06); // BPF_RET | BPF_K, k = 0: keep no byte of the frame
                com.sun.jna.Memory program = new com.sun.jna.Memory(16); // struct sock_fprog { u16 len; struct sock_filter *filter; }
                program.clear();
                program.setShort(0, (short) 1);
                program.setPointer(8, reject);
                int rc = com.sun.jna.NativeLibrary.getInstance("c").getFunction("setsockopt")
                        .invokeInt(new Object[] {fd, 1 /* SOL_SOCKET */, 26 /* SO_ATTACH_FILTER */, program, 16});
                if (rc != 0) {
                    throw new IllegalStateException("setsockopt(SO_ATTACH_FILTER) failed on fd " + fd);
                }
                deafened++;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the capture loop's fields changed: update CaptureFaults", e);
            }
        }
        return deafened;
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
