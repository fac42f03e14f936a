package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each pod namespace's exact lookup: opened once, through the /proc directory of a process in it,
 * closed when the namespace goes; a namespace that cannot be entered, or beyond the bound, has its
 * tables read (null), the latter counted.
 */
class NamespaceLookupsTest {
    /** A lookup that answers nothing, and says whether it was closed. */
    private static final class Fake implements HostSocketLookup {
        final Path file;
        final long netns;
        final boolean available;
        boolean closed;

        Fake(Path file, long netns, boolean available) {
            this.file = file;
            this.netns = netns;
            this.available = available;
        }

        @Override
        public SocketEntry connection(FlowKey key) {
            return null;
        }

        @Override
        public SocketEntry listener(FlowKey key) {
            return null;
        }

        @Override
        public boolean available() {
            return available && !closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<Fake> opened = new ArrayList<>();
    /** Namespace 3 has no process left; 4 cannot be entered. */
    private final Map<Long, Path> dirs = Map.of(1L, Path.of("/proc/100/net"), 2L, Path.of("/proc/200/net"),
            4L, Path.of("/proc/400/net"), 5L, Path.of("/proc/500/net"));

    private NamespaceLookups lookups(int maxOpen) {
        return new NamespaceLookups((file, netns) -> {
            Fake f = new Fake(file, netns, netns != 4);
            opened.add(f);
            return f;
        }, dirs::get, maxOpen);
    }

    @Test
    void eachNamespaceIsOpenedOnceThroughItsProcessesNsFile() {
        NamespaceLookups l = lookups(8);
        HostSocketLookup one = l.of(1);
        assertSame(one, l.of(1), "opened once");
        assertEquals(1, opened.size());
        assertEquals(Path.of("/proc/100/ns/net"), opened.get(0).file);
        assertEquals(1L, opened.get(0).netns, "the namespace the file must hold");
        assertNull(l.of(3), "no process to enter it through: its tables, and nothing opened");
        assertNull(l.of(4), "could not be entered: its tables");
        assertNull(l.of(4));
        assertEquals(2, opened.size(), "a namespace that could not be entered is not tried again");
    }

    @Test
    void aNamespaceGoneClosesItsLookup() {
        NamespaceLookups l = lookups(8);
        l.of(1);
        l.of(2);
        l.retain(Set.of(2L));
        assertEquals(List.of(true, false), opened.stream().map(f -> f.closed).toList());
        l.close();
        assertEquals(List.of(true, true), opened.stream().map(f -> f.closed).toList());
    }

    @Test
    void beyondTheBoundTheTablesAnswerAndTheNamespaceIsCounted() {
        NamespaceLookups l = lookups(2);
        l.of(1);
        l.of(2);
        assertNull(l.of(5));
        assertNull(l.of(5));
        assertEquals(2, l.turnedAway(), "each time a lookup was wanted and not opened");
        assertEquals(2, opened.size());
        l.retain(Set.of(2L, 5L));
        assertEquals(dirs.get(5L).resolveSibling("ns").resolve("net"), ((Fake) l.of(5)).file, "room again");
    }
}
