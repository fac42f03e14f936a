package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.NetInterface;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which namespace is behind a veth, on a /proc tree written by the test: each namespace's
 * interface indexes from its dev_mcast, as the kernel prints it.
 */
class VethNamespacesTest {
    private static final long HOST = 4026531840L;
    private static final long POD_A = 4026532300L;
    private static final long POD_B = 4026532400L;
    /** The host's veth towards a pod: its peer is interface 5 of the pod's namespace. */
    private static final NetInterface VETH = new NetInterface("veth1", 10, 1, 0x02fc00000010L, true, 5, "", false, false);
    private static final NetInterface ETH0 = new NetInterface("eth0", 2, 1, 0x02fc00000002L, true, 2, "", false, false);

    @TempDir
    Path root;
    private HostFiles host;
    private NetnsRegistry registry;
    private VethNamespaces veths;

    @BeforeEach
    void setUp() throws IOException {
        host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
        process("self", HOST, 2);
        registry = new NetnsRegistry(host);
        veths = new VethNamespaces(registry);
    }

    /** A process in {@code netns}, whose namespace has the interface {@code ifindex}. */
    private void process(String pid, long netns, int ifindex) throws IOException {
        Path dir = host.proc(pid);
        Files.createDirectories(dir.resolve("ns"));
        Files.createDirectories(dir.resolve("net"));
        Files.deleteIfExists(dir.resolve("ns").resolve("net"));
        Files.createSymbolicLink(dir.resolve("ns").resolve("net"), Path.of("net:[" + netns + "]"));
        Files.writeString(dir.resolve("net").resolve("dev_mcast"),
                ifindex + "    eth0            1     0     333300000001\n");
    }

    private static TrackedFlow flow(int ifindex, boolean farSide) {
        return new TrackedFlow(0, new FlowKey(ifindex, ParsedPacket.TCP, 0, 1, 80, 0, 2, 40000,
                farSide ? FlowKey.PEER : 0), 0);
    }

    @Test
    void theOnlyNamespaceWithThePeersIndexIsBehindTheVeth() throws IOException {
        process("100", POD_A, 5);
        process("200", POD_B, 7);
        registry.refresh();
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of());

        assertEquals(POD_A, veths.netnsBehind(10));
        TrackedFlow farSide = flow(10, true);
        assertTrue(veths.known(farSide));
        assertEquals(POD_A, veths.netnsOf(farSide));
        assertEquals(POD_A, veths.tablesOf(farSide));
        assertEquals(POD_A, veths.sideOf(farSide));
        TrackedFlow hostSide = flow(10, false);
        assertEquals(HOST, veths.tablesOf(hostSide), "the host's own sockets");
        assertEquals(0, veths.sideOf(hostSide), "the host's side is 0");
    }

    @Test
    void anIndexInTwoNamespacesIsLeftToTheSocketsWhichPinIt() throws IOException {
        process("100", POD_A, 5);
        process("200", POD_B, 5); // interface indexes repeat across namespaces
        registry.refresh();
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of());

        assertEquals(VethNamespaces.UNKNOWN, veths.netnsBehind(10));
        assertFalse(veths.known(flow(10, true)));
        veths.pin(10, POD_B); // a connection of the far side was found in POD_B's table alone
        assertEquals(POD_B, veths.netnsBehind(10));
        assertEquals(POD_B, veths.sideOf(flow(10, true)));
    }

    @Test
    void anInterfaceNotReadYetHasNoNamespace() throws IOException {
        process("100", POD_A, 5);
        registry.refresh();
        assertEquals(VethNamespaces.UNKNOWN, veths.netnsBehind(10));
        assertNull(veths.device(10));
        veths.interfaces(Map.of(10, VETH), Set.of());
        assertEquals(VETH, veths.device(10));
        assertEquals(POD_A, veths.netnsBehind(10));
    }

    /** A namespace outlives its processes; an interface index does not outlive its interface. */
    @Test
    void aPinStaysWithItsInterfaceAndGoesWithIt() throws IOException {
        process("100", POD_A, 5);
        process("200", POD_B, 7);
        registry.refresh();
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of());
        assertEquals(POD_A, veths.netnsBehind(10));

        // The pods are made anew: now POD_B has index 5.
        process("100", POD_A, 8);
        process("200", POD_B, 5);
        registry.refresh();
        veths.interfaces(Map.of(10, VETH), Set.of()); // another interface went; the veth stays
        assertEquals(POD_A, veths.netnsBehind(10), "pinned while the interface stays");

        veths.interfaces(Map.of(2, ETH0), Set.of()); // the veth went ...
        assertEquals(VethNamespaces.UNKNOWN, veths.netnsBehind(10));
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of()); // ... and its index came back
        assertEquals(POD_B, veths.netnsBehind(10), "looked for anew");
    }

    @Test
    void theInterfacesLeftOutAreKnownByIndex() {
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of(10));
        assertTrue(veths.uncounted(10));
        assertFalse(veths.uncounted(2));
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of());
        assertFalse(veths.uncounted(10));
    }
}
