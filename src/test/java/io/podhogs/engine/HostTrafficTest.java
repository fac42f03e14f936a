package io.podhogs.engine;

import static io.podhogs.engine.EngineHarness.ifindex;
import static io.podhogs.engine.EngineHarness.onInterface;
import static io.podhogs.engine.EngineHarness.requireProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host engine against the kernel: real processes exchange real traffic with a test host behind
 * a veth, the engine captures the host end, and the bytes it attributes to each process must equal
 * the veth's own counters, to the byte. The only other frames allowed are the link's own control
 * traffic (ICMPv6, ARP), which must land in "unknown other", so every frame is accounted.
 */
class HostTrafficTest extends EngineTrafficFixture {

    /** One host, the engine capturing its veth from before the link's first frame. */
    private Host hostWithEngine() throws Exception {
        Host h = net.createHost();
        harness = new EngineHarness(h.hostIf());
        net.bringUp(h);
        return h;
    }

    /**
     * The process's traffic on the interface must be the kernel's counters minus the link's control
     * frames, and nothing but control frames may be left for others.
     */
    private AccountSnapshot assertExact(EngineSnapshot s, String iface, long pid) {
        int ifindex = ifindex(iface);
        AccountSnapshot process = requireProcess(s, pid);
        Traffic others = onInterface(s, ifindex, a -> a != process && EngineHarness.hostSide(a));
        for (AccountSnapshot a : s.accounts()) {
            if (a != process && EngineHarness.hostSide(a) && !a.on(ifindex).equals(Traffic.NONE)) {
                assertEquals(new OwnerKey(UnknownOwner.OTHER), a.key(), "only control frames may be left over: " + a);
            }
        }
        // The host side of s was checked against the kernel's counters by settle(); the counters read
        // now could already hold the link's next control frame.
        Traffic hostSide = onInterface(s, ifindex, EngineHarness::hostSide);
        assertEquals(hostSide.minus(others), process.on(ifindex), "process " + pid + " on " + iface);
        assertEquals(0, s.kernelDrops(), "kernel drops");
        return process;
    }

    @Test
    void tcpOverIpv4IsExact() throws Exception {
        Host h = hostWithEngine();
        net.start(h.ns(), "tcp-sink", h.peerV4(), "5001", "--reply", "300000").expect("ready");
        Endpoint client = net.start(null, "tcp-send", h.peerV4(), "5001", "--bytes", "5000000", "--hold", "0.5");
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));

        AccountSnapshot a = assertExact(harness.settle(h.hostIf()), h.hostIf(), client.pid());
        assertTrue(a.sentBytes() > 5_000_000 && a.receivedBytes() > 300_000, "payloads are in: " + a);
    }

    @Test
    void tcpOverIpv6IsExact() throws Exception {
        Host h = hostWithEngine();
        net.start(h.ns(), "tcp-sink", h.peerV6(), "5002", "--reply", "200000").expect("ready");
        Endpoint client = net.start(null, "tcp-send", h.peerV6(), "5002", "--bytes", "3000000", "--hold", "0.5");
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));

        AccountSnapshot a = assertExact(harness.settle(h.hostIf()), h.hostIf(), client.pid());
        assertTrue(a.sentBytes() > 3_000_000 && a.receivedBytes() > 200_000, "payloads are in: " + a);
    }

    @Test
    void connectedUdpIsExact() throws Exception {
        Host h = hostWithEngine();
        net.start(h.ns(), "udp-sink", h.peerV4(), "5003", "--reply", "200").expect("ready");
        Endpoint client = net.start(null, "udp-send", h.peerV4(), "5003", "--connected", "--count", "3000",
                "--size", "700", "--replies", "--hold", "0.5");
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));

        AccountSnapshot a = assertExact(harness.settle(h.hostIf()), h.hostIf(), client.pid());
        assertEquals(3000, a.sentPackets(), "one frame per datagram sent");
        assertEquals(3000, a.receivedPackets(), "one frame per reply");
        assertEquals(3000L * (14 + 20 + 8 + 700), a.sentBytes(), "Ethernet + IPv4 + UDP + payload");
    }

    @Test
    void unconnectedUdpIsExactBothWays() throws Exception {
        Host h = hostWithEngine();
        net.start(h.ns(), "udp-sink", h.peerV6(), "5004", "--reply", "64").expect("ready");
        Endpoint client = net.start(null, "udp-send", h.peerV6(), "5004", "--count", "2000", "--size", "300",
                "--replies", "--hold", "0.5");
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));

        AccountSnapshot a = assertExact(harness.settle(h.hostIf()), h.hostIf(), client.pid());
        assertEquals(2000L * (14 + 40 + 8 + 300), a.sentBytes(), "Ethernet + IPv6 + UDP + payload");
        assertEquals(2000L * (14 + 40 + 8 + 64), a.receivedBytes(), "replies to the wildcard-bound socket");
    }

    @Test
    void twoProcessesAtOnceAreSplitByTheirOwnTraffic() throws Exception {
        Host a = net.createHost();
        Host b = net.createHost();
        harness = new EngineHarness(a.hostIf(), b.hostIf());
        net.bringUp(a);
        net.bringUp(b);
        net.start(a.ns(), "tcp-sink", a.peerV4(), "5005", "--reply", "100000").expect("ready");
        net.start(b.ns(), "udp-sink", b.peerV4(), "5006", "--reply", "100").expect("ready");
        Endpoint tcp = net.start(null, "tcp-send", a.peerV4(), "5005", "--bytes", "8000000", "--hold", "0.5");
        Endpoint udp = net.start(null, "udp-send", b.peerV4(), "5006", "--connected", "--count", "4000", "--size",
                "900", "--replies", "--hold", "0.5");
        for (Endpoint e : List.of(tcp, udp)) {
            e.expect("ready");
            e.expect("done");
            e.awaitExit(Duration.ofSeconds(20));
        }
        harness.settle(a.hostIf());
        EngineSnapshot s = harness.settle(b.hostIf());

        assertExact(s, a.hostIf(), tcp.pid());
        assertExact(s, b.hostIf(), udp.pid());
        assertEquals(Traffic.NONE, requireProcess(s, tcp.pid()).on(ifindex(b.hostIf())), "TCP client not on b");
        assertEquals(Traffic.NONE, requireProcess(s, udp.pid()).on(ifindex(a.hostIf())), "UDP client not on a");
    }

    /**
     * 150 outbound connections of 50 kB, each open for well under a millisecond over the veth: the
     * connection-start handle and the exact socket lookup must catch some of them with their socket
     * open, and the rest follow by the documented rule (the process last seen talking to the same
     * remote end), so every byte is the client's; none is unknown.
     */
    @Test
    void shortOutboundConnectionsAreTheirProcesssExactOrInferred() throws Exception {
        Host h = hostWithEngine();
        net.start(h.ns(), "tcp-sink", h.peerV4(), "5008").expect("ready");
        Endpoint burst = net.start(null, "tcp-burst", h.peerV4(), "5008", "--count", "150", "--bytes", "50000",
                "--pace", "0.004", "--hold", "0.5");
        burst.expect("ready");
        burst.expect("done");
        burst.awaitExit(Duration.ofSeconds(30));

        AccountSnapshot a = assertExact(harness.settle(h.hostIf()), h.hostIf(), burst.pid());
        assertTrue(a.sentBytes() > 150 * 50_000, "payloads are in: " + a);
        assertTrue(a.inferredSentBytes() < a.sentBytes(), "some connections were found with their socket: " + a);
    }

    @Test
    void forkingServerChildrenKeepTheirOwnConnections() throws Exception {
        Host h = hostWithEngine();
        Endpoint server = net.start(null, "fork-server", h.hostV4(), "5007", "--reply", "1000", "--hold", "1.5");
        server.expect("ready");
        int[] payloads = {1_000_000, 2_000_000, 3_000_000};
        List<Long> children = new ArrayList<>();
        for (int payload : payloads) {
            Endpoint client = net.start(h.ns(), "tcp-send", h.hostV4(), "5007", "--bytes", Integer.toString(payload),
                    "--hold", "0.3");
            client.expect("ready");
            children.add(Long.parseLong(server.expect("child ").substring(6)));
            client.expect("done");
        }
        EngineSnapshot s = harness.settle(h.hostIf());
        int ifindex = ifindex(h.hostIf());
        Traffic childrenTotal = Traffic.NONE;
        for (int i = 0; i < payloads.length; i++) {
            AccountSnapshot child = requireProcess(s, children.get(i));
            long received = child.on(ifindex).receivedBytes();
            // Its own payload plus at most 10% for headers, so no other child's payload fits in it.
            assertTrue(received > payloads[i] && received < payloads[i] * 1.1, "child " + i + " received " + received);
            childrenTotal = childrenTotal.plus(child.on(ifindex));
        }
        Traffic rest = onInterface(s, ifindex, a -> EngineHarness.hostSide(a) && !(a.isProcess() && children.contains((long) a.pid())));
        assertTrue(rest.receivedBytes() < 10_000, "the parent and control traffic keep almost nothing: " + rest);
    }

    @Test
    void processThatExitsKeepsItsTotals() throws Exception {
        Host h = hostWithEngine();
        net.start(h.ns(), "tcp-sink", h.peerV4(), "5008").expect("ready");
        Endpoint first = net.start(null, "tcp-send", h.peerV4(), "5008", "--bytes", "2000000", "--hold", "0.3");
        first.expect("ready");
        first.expect("done");
        first.awaitExit(Duration.ofSeconds(10));
        Traffic atExit = requireProcess(harness.settle(h.hostIf()), first.pid()).total();

        Endpoint second = net.start(null, "tcp-send", h.peerV4(), "5008", "--bytes", "1000000", "--hold", "0.3");
        second.expect("ready");
        second.expect("done");
        second.awaitExit(Duration.ofSeconds(10));
        harness.settle(h.hostIf());
        EngineSnapshot s = harness.await(snap -> requireProcess(snap, first.pid()).exited(), "the exit to be noticed");

        AccountSnapshot gone = requireProcess(s, first.pid());
        assertEquals(atExit, gone.total(), "totals kept after exit");
        assertTrue(gone.sentBytes() > 2_000_000, "first client's payload is in: " + gone);
        int ifindex = ifindex(h.hostIf());
        EngineSnapshot settled = harness.settle(h.hostIf());
        Traffic control = onInterface(settled, ifindex, a -> a.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        assertEquals(onInterface(settled, ifindex, EngineHarness::hostSide).minus(atExit).minus(control),
                requireProcess(settled, second.pid()).on(ifindex), "the second client has the rest, exactly");
    }

    @Test
    void loopbackCountsEachFrameOnceForTheSenderAndOnceForTheReceiver() throws Exception {
        harness = new EngineHarness("lo");
        int lo = ifindex("lo");
        EngineSnapshot before = harness.engine.snapshot();
        Traffic countersBefore = Counters.of("lo");
        Endpoint server = net.start(null, "tcp-sink", "127.0.0.1", "5009", "--reply", "100000");
        server.expect("ready");
        Endpoint client = net.start(null, "tcp-send", "127.0.0.1", "5009", "--bytes", "4000000", "--hold", "0.3");
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));
        Traffic window = Counters.of("lo").minus(countersBefore);
        EngineSnapshot s = harness.await(snap -> onInterface(snap, lo, a -> true)
                .minus(onInterface(before, lo, a -> true)).equals(window), () -> "lo's frames to be accounted: kernel "
                + window + ", accounts " + onInterface(harness.engine.snapshot(), lo, a -> true)
                        .minus(onInterface(before, lo, a -> true)) + " " + harness.engine.snapshot().accounts());

        Traffic sender = requireProcess(s, client.pid()).on(lo);
        Traffic receiver = requireProcess(s, server.pid()).on(lo);
        assertEquals(sender.sentBytes(), receiver.receivedBytes(), "what the client sent, the server received");
        assertEquals(sender.receivedBytes(), receiver.sentBytes(), "and the other way");
        assertEquals(window.sentBytes(), sender.sentBytes() + receiver.sentBytes(), "every lo frame was sent by one of them");
        assertTrue(sender.sentBytes() > 4_000_000 && receiver.sentBytes() > 100_000, "payloads are in");
    }
}
