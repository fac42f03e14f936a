package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.capture.Addresses;
import io.podhogs.host.HostFiles;
import java.io.IOException;
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
    private static final long HOST = ProcTree.HOST_NETNS;
    private static final long POD = ProcTree.POD_NETNS;

    @TempDir
    Path root;
    private ProcTree proc;
    private HostFiles host;
    private NetnsRegistry registry;
    private LikelyOwners likely;

    @BeforeEach
    void setUp() throws IOException {
        proc = new ProcTree(root);
        host = proc.host();
        proc.netns("self", HOST).netns("100", HOST).netns("200", POD);
        registry = new NetnsRegistry(host);
        registry.refresh();
        likely = new LikelyOwners(host, registry, new VethNamespaces(registry), () -> 0L);
        likely.owned(100);
        likely.owned(200);
        likely.owned(300); // not listed by the registry's last scan: its namespace is not known
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
