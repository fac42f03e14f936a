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
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of());
        registry.refresh();

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
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of());
        registry.refresh();

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
        assertEquals(VethNamespaces.UNKNOWN, veths.netnsBehind(10), "not before the namespaces are read again");
        registry.refresh();
        assertEquals(POD_A, veths.netnsBehind(10));
    }

    /**
     * A pod whose namespace has no process yet is not among the namespaces: the one known pod with
     * the same peer index (every CNI-made eth0 is 2) must not be taken for it.
     */
    @Test
    void aVethNewerThanTheLastRescanIsNotTakenForTheOneKnownNamespaceWithItsIndex() throws IOException {
        process("100", POD_A, 2);
        registry.refresh();
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of()); // POD_B's veth: its process is not there yet
        assertEquals(VethNamespaces.UNKNOWN, veths.netnsBehind(10), "POD_A alone has index 2, but is not known to be alone");
        process("200", POD_B, 2);
        registry.refresh();
        assertEquals(VethNamespaces.UNKNOWN, veths.netnsBehind(10), "two namespaces with index 2: the sockets will tell");
    }

    /** A namespace outlives its processes; an interface index does not outlive its interface. */
    @Test
    void aPinStaysWithItsInterfaceAndGoesWithIt() throws IOException {
        process("100", POD_A, 5);
        process("200", POD_B, 7);
        veths.interfaces(Map.of(2, ETH0, 10, VETH), Set.of());
        registry.refresh();
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
        assertEquals(VethNamespaces.UNKNOWN, veths.netnsBehind(10), "a new veth: the namespaces are read again first");
        registry.refresh();
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

    /** The kernel's ids, as a test sets them: an interface's peer namespace id, each namespace file's id. */
    private static final class Ids implements LinkPeers {
        final java.util.Map<Integer, Integer> peers = new java.util.HashMap<>();
        final java.util.Map<String, Integer> files = new java.util.HashMap<>();
        int asked;

        @Override
        public int peerNetnsid(int ifindex) {
            return peers.getOrDefault(ifindex, NONE);
        }

        @Override
        public int netnsid(Path netnsFile) {
            asked++;
            return files.getOrDefault(netnsFile.getParent().getParent().getFileName().toString(), UNANSWERED);
        }

        @Override
        public boolean available() {
            return true;
        }
    }

    @Test
    void theKernelsIdNamesTheNamespaceWhateverTheIndexesSay() throws IOException {
        Ids ids = new Ids();
        VethNamespaces byId = new VethNamespaces(registry, ids);
        process("100", POD_A, 2);
        process("200", POD_B, 2); // the same peer index, as CNI makes pods
        registry.refresh();
        ids.peers.put(10, 7);
        ids.files.put("100", 5);
        byId.interfaces(Map.of(2, ETH0, 10, VETH), Set.of());
        assertEquals(VethNamespaces.UNKNOWN, byId.netnsBehind(10), "POD_B's id not answered yet: nothing guessed");
        ids.files.put("200", 7);
        assertEquals(POD_B, byId.netnsBehind(10), "asked again, since it was not answered");
        int asked = ids.asked;
        assertEquals(POD_B, byId.netnsBehind(10));
        assertEquals(asked, ids.asked, "pinned: not asked again");
    }

    @Test
    void aNamespaceWithoutAnIdIsAskedAgainAfterARescanAndAPeerlessLinkHasNone() throws IOException {
        Ids ids = new Ids();
        VethNamespaces byId = new VethNamespaces(registry, ids);
        process("100", POD_A, 2);
        registry.refresh();
        ids.peers.put(10, 3);
        ids.files.put("100", LinkPeers.NONE); // no link joins it to the host yet
        byId.interfaces(Map.of(2, ETH0, 10, VETH, 11, VETH), Set.of());
        assertEquals(VethNamespaces.UNKNOWN, byId.netnsBehind(10));
        ids.files.put("100", 3);
        assertEquals(VethNamespaces.UNKNOWN, byId.netnsBehind(10), "not asked again before a rescan");
        registry.refresh();
        assertEquals(POD_A, byId.netnsBehind(10));
        assertEquals(VethNamespaces.UNKNOWN, byId.netnsBehind(11), "no peer in another namespace: none behind it");
    }
}
