package io.podhogs.engine;

import static io.podhogs.testing.CookedFrames.ACK;
import static io.podhogs.testing.CookedFrames.PSH_ACK;
import static io.podhogs.testing.CookedFrames.SYN;
import static io.podhogs.testing.CookedFrames.tcp;
import static io.podhogs.testing.CookedFrames.udp;
import static io.podhogs.engine.HostTree.LOCAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountKey;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.FlowKey;
import io.podhogs.attribution.HostSocketLookup;
import io.podhogs.attribution.SocketEntry;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.capture.Addresses;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.NetInterfaces;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.identity.ClusterView;
import io.podhogs.identity.RemoteClassifier;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.Workload;
import io.podhogs.testing.CookedFrames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's logic without root or traffic: frames the test made go in through a capture it
 * feeds, on a /proc and /sys it wrote, with clocks it moves and the engine stepped on the test's
 * thread; the accounts that come out must hold exactly the frames' bytes. The root tests
 * (HostTrafficTest and the others) check the same against the kernel.
 */
class EngineLogicTest {
    private static final int ETH0 = 2;
    private static final int TCP_ESTABLISHED = 1;
    private static final String PEER = "10.0.0.2";

    @TempDir
    Path root;
    private HostTree host;
    private final FedCapture capture = new FedCapture();
    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"), 7_000_000_000_000L);
    private final SocketsStandIn sockets = new SocketsStandIn();
    private Engine engine;

    @BeforeEach
    void hostWithOneDevice() {
        host = new HostTree(root);
        host.device("eth0", ETH0, ETH0); // physical: its own link, no namespace behind it
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private void open(EngineConfig config, HostSocketLookup lookup) throws Exception {
        engine = new Engine(config, new EngineParts(host.files, new NetInterfaces(host.files), lookup,
                capture.factory(), clock::nanoTime, clock, false));
        engine.open();
    }

    private void open(EngineConfig config) throws Exception {
        open(config, sockets);
    }

    private void open() throws Exception {
        open(EngineConfig.of(CaptureConfig.defaults(List.of())));
    }

    /** Moves the clocks by {@code by} and runs the tick that falls then. */
    private EngineSnapshot tickAfter(Duration by) {
        clock.advance(by);
        engine.step(true);
        return engine.snapshot();
    }

    private EngineSnapshot tick() {
        return tickAfter(EngineConfig.TICK);
    }

    /** A short TCP exchange of {@code LOCAL:localPort} with the peer's port 80 on {@code ifindex}. */
    private static List<byte[]> connection(int ifindex, int localPort) {
        return List.of(
                tcp(ifindex, true, LOCAL, localPort, PEER, 80, SYN, 0),
                tcp(ifindex, false, PEER, 80, LOCAL, localPort, SYN | ACK, 0),
                tcp(ifindex, true, LOCAL, localPort, PEER, 80, ACK, 0),
                tcp(ifindex, true, LOCAL, localPort, PEER, 80, PSH_ACK, 1000),
                tcp(ifindex, true, LOCAL, localPort, PEER, 80, PSH_ACK, 1000),
                tcp(ifindex, true, LOCAL, localPort, PEER, 80, PSH_ACK, 517),
                tcp(ifindex, false, PEER, 80, LOCAL, localPort, PSH_ACK, 1400),
                tcp(ifindex, false, PEER, 80, LOCAL, localPort, ACK, 0));
    }

    private void feed(List<byte[]> frames) {
        capture.frame(frames.toArray(byte[][]::new));
    }

    /**
     * What the interface's counters would say of the frames: bytes and packets sent and received,
     * by the cooked header's packet type.
     */
    private static Traffic traffic(List<byte[]> frames) {
        long sentBytes = 0;
        long sentPackets = 0;
        long receivedBytes = 0;
        long receivedPackets = 0;
        for (byte[] f : frames) {
            if (f[10] == 4) { // PACKET_OUTGOING
                sentBytes += CookedFrames.wireBytes(f);
                sentPackets++;
            } else {
                receivedBytes += CookedFrames.wireBytes(f);
                receivedPackets++;
            }
        }
        return new Traffic(sentBytes, sentPackets, receivedBytes, receivedPackets);
    }

    /** The owners with traffic on {@code ifindex}, and how much. */
    private static Map<AccountKey, Traffic> on(EngineSnapshot s, int ifindex) {
        Map<AccountKey, Traffic> owners = new HashMap<>();
        for (AccountSnapshot a : s.accounts()) {
            if (!a.on(ifindex).equals(Traffic.NONE)) {
                owners.put(a.key(), a.on(ifindex));
            }
        }
        return owners;
    }

    private static AccountSnapshot process(EngineSnapshot s, int pid) {
        return EngineHarness.requireProcess(s, pid);
    }

    @Test
    void aConnectionsFramesAreItsProcesssToTheByte() throws Exception {
        sockets.answer(LOCAL, 40000, PEER, 80, 111);
        host.process(100, 5000, "curl", "/user.slice/session-1.scope", 111);
        open();
        List<byte[]> frames = connection(ETH0, 40000);
        feed(frames);

        EngineSnapshot s = tick();

        AccountSnapshot curl = process(s, 100);
        assertEquals(Map.of(curl.key(), traffic(frames)), on(s, ETH0),
                "every byte the process's and nobody else's: no far side on a physical device");
        assertEquals(traffic(frames), curl.total());
        assertEquals(0, curl.inferredSentBytes() + curl.inferredReceivedBytes(), "its socket was found");
        assertEquals(0, s.resolver().socketReads(), "the lookup by four-tuple answered: no table read");
        assertEquals(clock.instant(), s.time(), "the snapshot's time is the engine's wall clock");
        assertEquals(clock.nanoTime(), engine.publishedNanos());
        assertEquals(Map.of(ETH0, "eth0"), s.interfaceNames());

        assertFalse(sockets.closed);
        engine.close();
        assertTrue(sockets.closed, "the engine lets the lookup go when it stops");
        assertTrue(capture.closed());
    }

    @Test
    void withoutTheSocketLookupAConnectionIsFoundInTheTables() throws Exception {
        host.socket("tcp", LOCAL, 40100, PEER, 80, TCP_ESTABLISHED, 222);
        host.process(200, 6000, "wget", "/user.slice/session-1.scope", 222);
        open(EngineConfig.of(CaptureConfig.defaults(List.of())), HostSocketLookup.none()); // no netlink here
        List<byte[]> frames = connection(ETH0, 40100);
        feed(frames);

        EngineSnapshot s = tick();

        AccountSnapshot wget = process(s, 200);
        assertEquals(Map.of(wget.key(), traffic(frames)), on(s, ETH0));
        assertEquals(0, wget.inferredSentBytes() + wget.inferredReceivedBytes(), "found, not inferred");
        assertTrue(s.resolver().socketReads() > 0, "the tables were read");
    }

    @Test
    void aFlowWithoutASocketWaitsOutTheGraceOnTheEnginesClockThenIsUnknown() throws Exception {
        open(); // the default grace: 500 ms
        List<byte[]> frames = List.of(
                udp(ETH0, true, LOCAL, 33333, "10.0.0.9", 9, 700),
                udp(ETH0, true, LOCAL, 33333, "10.0.0.9", 9, 700),
                udp(ETH0, true, LOCAL, 33333, "10.0.0.9", 9, 64));
        feed(frames);

        for (int i = 0; i < 4; i++) {
            EngineSnapshot s = tick();
            assertEquals(Map.of(), on(s, ETH0), "nothing credited while the flow waits for its socket");
            assertEquals(1, s.resolver().pending());
        }
        EngineSnapshot settled = tickAfter(Duration.ofMillis(200));

        assertEquals(Map.of(new OwnerKey(UnknownOwner.UDP), traffic(frames)), on(settled, ETH0));
        assertEquals(0, settled.resolver().pending());
    }

    @Test
    void aDeletedPodsAccountsRetireIntoItsWorkloadOnceItsGraceIsOver() throws Exception {
        String podUid = "6b1c3f0e-1d2a-4c8e-9a77-0e5d4c3b2a10";
        String containerId = "ab".repeat(32);
        sockets.answer(LOCAL, 40200, PEER, 80, 333);
        host.process(300, 7000, "server", "/kubepods/burstable/pod" + podUid + "/" + containerId, 333);
        open();
        List<byte[]> frames = connection(ETH0, 40200);
        feed(frames);
        Traffic before = process(tick(), 300).total();
        assertEquals(traffic(frames), before);

        Workload workload = new Workload("Deployment", "web");
        PodInfo deleted = new PodInfo(podUid, "shop", "web-1", "node-1", Map.of(), workload, true, List.of(),
                Map.of(containerId, "server"), clock.instant());
        engine.cluster(cluster(new PodDirectory(List.of(deleted), true, Duration.ofSeconds(30))));

        EngineSnapshot inGrace = tickAfter(Duration.ofSeconds(29)); // the slow work runs, the grace has not passed
        assertEquals(before, process(inGrace, 300).total(), "kept while within its grace");

        EngineSnapshot after = tickAfter(Duration.ofSeconds(1));
        assertTrue(EngineHarness.process(after, 300).isEmpty(), "the process's account is retired");
        assertEquals(Map.of(new RetiredPodsKey("shop", workload), before), on(after, ETH0),
                "its totals kept under the workload's deleted pods");
    }

    @Test
    void aNewInterfacesRoleIsReadAtItsFirstFlowAndItsTrafficFoldsIntoInterfacesGoneAfterTheRetention()
            throws Exception {
        sockets.answer(LOCAL, 40300, PEER, 80, 444);
        host.process(400, 8000, "curl", "/user.slice/session-1.scope", 444);
        open(EngineConfig.of(CaptureConfig.defaults(List.of())).withExitedRetention(Duration.ofSeconds(5)));
        host.device("eth1", 7, 7); // after the engine read the interfaces
        List<byte[]> frames = connection(7, 40300);
        feed(frames);

        EngineSnapshot s = tick();
        assertTrue(s.liveInterfaces().contains(7), "read again for the flow on an interface not known");
        assertEquals("eth1", s.interfaceName(7));
        assertEquals(List.of("eth0", "eth1"), capture.interfaceChanges().get(capture.interfaceChanges().size() - 1),
                "and the capture told");
        AccountSnapshot curl = process(s, 400);
        assertEquals(traffic(frames), curl.on(7));

        host.removeDevice("eth1");
        EngineSnapshot gone = tickAfter(Duration.ofSeconds(1));
        assertFalse(gone.liveInterfaces().contains(7));
        assertEquals("eth1", gone.interfaceName(7), "named within the retention");
        assertEquals(traffic(frames), process(gone, 400).on(7));

        EngineSnapshot folded = tickAfter(Duration.ofSeconds(5));
        assertEquals(Map.of(InterfaceNames.GONE, InterfaceNames.GONE_NAME, ETH0, "eth0"), folded.interfaceNames());
        assertEquals(traffic(frames), process(folded, 400).on(InterfaceNames.GONE));
        assertEquals(Traffic.NONE, process(folded, 400).on(7));
    }

    @Test
    void closingCreditsWhatTheCaptureCountedSinceTheLastTick() throws Exception {
        sockets.answer(LOCAL, 40400, PEER, 80, 555);
        host.process(500, 9000, "curl", "/user.slice/session-1.scope", 555);
        open();
        List<byte[]> first = connection(ETH0, 40400);
        feed(first);
        tick();
        List<byte[]> last = List.of(tcp(ETH0, true, LOCAL, 40400, PEER, 80, PSH_ACK, 900),
                tcp(ETH0, false, PEER, 80, LOCAL, 40400, ACK, 0));
        feed(last);

        engine.close();

        List<byte[]> all = new ArrayList<>(first);
        all.addAll(last);
        assertEquals(traffic(all), process(engine.snapshot(), 500).total());
    }

    @Test
    void anEngineOnItsOwnThreadIsNotSteppedByAnother() throws Exception {
        engine = new Engine(EngineConfig.of(CaptureConfig.defaults(List.of())), new EngineParts(host.files,
                new NetInterfaces(host.files), sockets, capture.factory(), System::nanoTime, clock, false));
        engine.start();
        assertTrue(engine.alive());
        assertThrows(IllegalStateException.class, () -> engine.step(true));
        assertNull(engine.failure());
    }

    private static ClusterView cluster(PodDirectory pods) {
        return new ClusterView() {
            @Override
            public PodDirectory pods() {
                return pods;
            }

            @Override
            public RemoteClassifier classifier() {
                return RemoteClassifier.NONE;
            }
        };
    }

    /** sock_diag's stand-in: answers for the connections the test names, and says when it was let go. */
    private static final class SocketsStandIn implements HostSocketLookup {
        private final Map<String, Long> inodes = new HashMap<>();
        int asked;
        boolean closed;

        void answer(String local, int localPort, String remote, int remotePort, long inode) {
            inodes.put(local + ":" + localPort + ">" + remote + ":" + remotePort, inode);
        }

        @Override
        public SocketEntry connection(FlowKey key) {
            asked++;
            Long inode = inodes.get(Addresses.format(key.localHi(), key.localLo()) + ":"
                    + key.localPort() + ">" + Addresses.format(key.remoteHi(), key.remoteLo()) + ":"
                    + key.remotePort());
            return inode == null || key.protocol() != ParsedPacket.TCP ? null
                    : new SocketEntry(ParsedPacket.TCP, key.localHi(), key.localLo(), key.localPort(), key.remoteHi(),
                            key.remoteLo(), key.remotePort(), TCP_ESTABLISHED, 1000, inode);
        }

        @Override
        public SocketEntry listener(FlowKey key) {
            return null;
        }

        @Override
        public boolean available() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
