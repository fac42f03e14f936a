package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Namespaces found through their processes, on a /proc tree written by the test. */
class NetnsRegistryTest {
    private static final long HOST = 4026531840L;
    private static final long POD = 4026532300L;

    @TempDir
    Path root;
    private HostFiles host;

    @BeforeEach
    void setUp() throws IOException {
        host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
        process("self", HOST, true);
    }

    private void process(String pid, long netns, boolean running) throws IOException {
        Path dir = host.proc(pid);
        Files.createDirectories(dir.resolve("ns"));
        Files.createSymbolicLink(dir.resolve("ns").resolve("net"), Path.of("net:[" + netns + "]"));
        if (running) {
            Files.createDirectories(dir.resolve("net"));
            // The pod's veth end is interface 17; lo (1) has no link-layer multicast address.
            Files.writeString(dir.resolve("net").resolve("dev_mcast"),
                    "17   eth0            1     0     333300000001\n");
        }
    }

    /**
     * A namespace's first process is often its setup's (ip netns exec ... ip link set up), gone a
     * moment after the listing: its files must not make the namespace look empty.
     */
    @Test
    void aGoneFirstProcessIsSkippedAndItsEmptyAnswerNotKept() throws IOException {
        process("100", POD, false); // listed, but its /proc/100/net is gone
        process("200", POD, true);
        NetnsRegistry registry = new NetnsRegistry(host);
        registry.refresh();
        assertEquals(List.of(100, 200), registry.pids(POD));
        assertEquals(host.proc("200", "net"), registry.netDir(POD));
        assertEquals(Set.of(17), registry.interfaceIndexes(POD));
    }

    @Test
    void aNamespaceWhoseProcessesAreAllGoneHasNoDirectoryAndIsAskedAgainLater() throws IOException {
        process("100", POD, false);
        NetnsRegistry registry = new NetnsRegistry(host);
        registry.refresh();
        assertNull(registry.netDir(POD));
        assertEquals(Set.of(), registry.interfaceIndexes(POD));

        process("300", POD, true); // a process starts in it: the next look finds the interface
        registry.refresh();
        assertEquals(Set.of(17), registry.interfaceIndexes(POD), "the empty answer was not kept");
    }
}
