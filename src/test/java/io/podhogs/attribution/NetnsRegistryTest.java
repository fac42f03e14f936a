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
    private static final long HOST = ProcTree.HOST_NETNS;
    private static final long POD = ProcTree.POD_NETNS;

    @TempDir
    Path root;
    private ProcTree proc;
    private HostFiles host;

    @BeforeEach
    void setUp() throws IOException {
        proc = new ProcTree(root);
        host = proc.host();
        process("self", HOST);
    }

    private void process(String pid, long netns) throws IOException {
        proc.netns(pid, netns);
        Path net = host.proc(pid, "net");
        Files.createDirectories(net);
        // The pod's veth end is interface 17; lo (1) has no link-layer multicast address.
        Files.writeString(net.resolve("dev_mcast"), "17   eth0            1     0     333300000001\n");
    }

    /** Exited, not yet reaped (as a real zombie shows it): its net directory stays, its ns/net link cannot be read. */
    private void exited(String pid) throws IOException {
        proc.exited(pid);
    }

    /**
     * A namespace's first process is often its setup's (ip netns exec ... ip link set up), gone a
     * moment after the listing: its files must not make the namespace look empty.
     */
    @Test
    void aGoneFirstProcessIsSkippedAndItsEmptyAnswerNotKept() throws IOException {
        process("100", POD);
        process("200", POD);
        NetnsRegistry registry = new NetnsRegistry(host);
        registry.refresh();
        assertEquals(List.of(100, 200), registry.pids(POD));
        exited("100"); // listed, then gone: a zombie's net directory is still there, empty of answers
        assertEquals(host.proc("200", "net"), registry.netDir(POD));
        assertEquals(Set.of(17), registry.interfaceIndexes(POD));
    }

    /**
     * A scan reads the link of a process at the first two scans that list it (ip netns exec switches
     * namespaces a moment after its fork, so the first reading can be the parent's), and then only
     * every fifth scan: a second scan answers from what it read, a full one reads again.
     */
    @Test
    void aProcessIsReadAtItsFirstTwoScansAndThenAtEveryFifth() throws IOException {
        NetnsRegistry registry = new NetnsRegistry(host);
        process("100", HOST); // forked in the host's namespace, about to switch
        registry.refresh(); // scan 1: full
        assertEquals(List.of(100), registry.pids(HOST));
        move("100", POD); // ip netns exec switched
        registry.refresh(); // scan 2: 100's second reading
        assertEquals(List.of(100), registry.pids(POD), "read again at its second scan");
        assertEquals(List.of(), registry.pids(HOST));

        move("100", HOST); // a later move (rare): not read until the next full scan
        process("200", POD); // a new process: read at once
        registry.refresh(); // scan 3
        assertEquals(List.of(100, 200), registry.pids(POD), "100 as last read; 200 read at once");
        for (int scan = 4; scan <= NetnsRegistry.FULL_SCAN_EVERY; scan++) {
            registry.refresh();
            assertEquals(List.of(100, 200), registry.pids(POD), "scan " + scan + " answers from its readings");
        }
        registry.refresh(); // scan 6: full
        assertEquals(List.of(200), registry.pids(POD));
        assertEquals(List.of(100), registry.pids(HOST));

        deleteRecursively(host.proc("200"));
        registry.refresh(); // a gone process is gone at once, full scan or not
        assertEquals(List.of(), registry.pids(POD));
        assertEquals(java.util.Set.of(), registry.others());
    }

    private void move(String pid, long netns) throws IOException {
        proc.netns(pid, netns);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aNamespaceWhoseProcessesAreAllGoneHasNoDirectoryAndIsAskedAgainLater() throws IOException {
        process("100", POD);
        NetnsRegistry registry = new NetnsRegistry(host);
        registry.refresh();
        exited("100");
        assertNull(registry.netDir(POD));
        assertEquals(Set.of(), registry.interfaceIndexes(POD));

        process("300", POD); // a process starts in it: the next look finds the interface
        registry.refresh();
        assertEquals(Set.of(17), registry.interfaceIndexes(POD), "the empty answer was not kept");
    }
}
