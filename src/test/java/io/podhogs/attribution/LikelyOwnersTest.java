package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.capture.Addresses;
import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which processes a quick look reads the descriptors of, on a /proc tree written by the test: the
 * recent owners of the sockets' own namespaces, not every pod's.
 */
class LikelyOwnersTest {
    private static final long HOST = 4026531840L;
    private static final long POD = 4026532300L;

    @TempDir
    Path root;
    private HostFiles host;
    private NetnsRegistry registry;
    private LikelyOwners likely;

    @BeforeEach
    void setUp() throws IOException {
        host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
        process("self", HOST);
        process("100", HOST);
        process("200", POD);
        registry = new NetnsRegistry(host);
        registry.refresh();
        likely = new LikelyOwners(host, registry, new VethNamespaces(registry), () -> 0L);
        likely.owned(100);
        likely.owned(200);
        likely.owned(300); // not listed by the registry's last scan: its namespace is not known
    }

    private void process(String pid, long netns) throws IOException {
        Path dir = host.proc(pid);
        Files.createDirectories(dir.resolve("ns"));
        Files.createSymbolicLink(dir.resolve("ns").resolve("net"), Path.of("net:[" + netns + "]"));
    }

    private static TrackedFlow withSocket(int ifindex, int flags, long inode) {
        TrackedFlow flow = new TrackedFlow(0, new FlowKey(ifindex, 6, 0, Addresses.v4Lo(0x0a000001), 40_000, 0,
                Addresses.v4Lo(0x0a000002), 443, flags), 0);
        flow.inode(inode, 0);
        return flow;
    }

    @Test
    void aHostSocketIsLookedForInTheHostsProcessesAndThoseNotPlacedYet() {
        assertEquals(List.of(300, 100), likely.of(List.of(withSocket(3, 0, 77))));
    }

    @Test
    void aSocketBehindAVethNotKnownYetIsLookedForEverywhere() {
        // Interface 9's namespace is not known: no process can be left out.
        assertEquals(List.of(300, 200, 100), likely.of(List.of(withSocket(9, FlowKey.PEER, 77))));
    }
}
