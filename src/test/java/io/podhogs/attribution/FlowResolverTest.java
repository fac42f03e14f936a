package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup rules of docs/accounting.md on a /proc tree written by the test: socket lines as the
 * kernel prints them, fd links as the kernel shows them, and a clock the test moves.
 */
class FlowResolverTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path root;
    private ProcTree proc;
    private HostFiles host;
    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private FlowResolver resolver;

    @BeforeEach
    void setUp() throws IOException {
        proc = new ProcTree(root);
        host = proc.host();
        Files.createDirectories(host.proc("self", "net"));
        for (String table : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            Files.writeString(host.proc("self", "net", table), HEADER);
        }
        // The namespace's own addresses: 10.0.0.1 and fd00::1.
        Files.writeString(host.proc("self", "net", "fib_trie"), String.join("\n",
                "Local:", "  +-- 10.0.0.0/24 2 0 2", "     |-- 10.0.0.1", "        /32 host LOCAL",
                "     |-- 10.0.0.255", "        /32 link BROADCAST", ""));
        Files.writeString(host.proc("self", "net", "if_inet6"),
                "fd000000000000000000000000000001 02 40 00 80 eth0\n");
        resolver = new FlowResolver(host, new ProcessReader(host), clock::get, HostSocketLookup.none(), 500 * MS);
        // The flows' interface: a physical Ethernet device (its own link), so no far side.
        resolver.interfaces(java.util.Map.of(2, new io.podhogs.capture.NetInterface("eth0", 2, 1, 0x02fc00000001L,
                true, 2, "", false, false)), java.util.Set.of());
    }

    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    private void socketLine(String table, String local, String remote, int state, long inode) throws IOException {
        Files.writeString(host.proc("self", "net", table), String.format(
                "   0: %s %s %02X 00000000:00000000 00:00000000 00000000     0        0 %d 1 0000000000000000 20 4 0 10 -1%n",
                local, remote, state, inode), java.nio.file.StandardOpenOption.APPEND);
    }

    private void process(int pid, long startTime, String program, long... socketInodes) throws IOException {
        proc.process(pid, startTime, program, "--flag").sockets(pid, socketInodes);
    }

    private static FlowKey flow(int protocol, String local, int localPort, String remote, int remotePort) {
        long[] l = Addresses.parse(local);
        long[] r = Addresses.parse(remote);
        return new FlowKey(2, protocol, l[0], l[1], localPort, r[0], r[1], remotePort, 0);
    }

    private Owner resolve(FlowKey key) {
        TrackedFlow f = new TrackedFlow(0, key, clock.get());
        resolver.add(f);
        resolver.resolvePending(true);
        return f.owner();
    }

    @Test
    void tcpMatchesTheExactFourTupleAndIpv4MappedSockets() throws IOException {
        // 10.0.0.1:40000 -> 10.0.0.2:80 in /proc/net/tcp; a dual-stack listener's accepted IPv4
        // connection ::ffff:10.0.0.1:8080 <- ::ffff:10.0.0.3:50000 in /proc/net/tcp6.
        socketLine("tcp", "0100000A:9C40", "0200000A:0050", 1, 111);
        socketLine("tcp6", "0000000000000000FFFF00000100000A:1F90", "0000000000000000FFFF00000300000A:C350", 1, 222);
        process(100, 5000, "curl", 111);
        process(200, 4000, "server", 222);

        assertEquals(100, pid(resolve(flow(ParsedPacket.TCP, "10.0.0.1", 40000, "10.0.0.2", 80))));
        assertEquals(200, pid(resolve(flow(ParsedPacket.TCP, "10.0.0.1", 8080, "10.0.0.3", 50000))));
    }

    @Test
    void unconnectedUdpFallsBackToTheBoundAddressThenTheWildcards() throws IOException {
        socketLine("udp", "0100000A:0035", "00000000:0000", 7, 301);           // 10.0.0.1:53
        socketLine("udp", "00000000:0044", "00000000:0000", 7, 302);           // 0.0.0.0:68
        socketLine("udp6", "00000000000000000000000000000000:14E9", "00000000000000000000000000000000:0000", 7, 303); // [::]:5353
        process(301, 10, "dns", 301);
        process(302, 10, "dhcp", 302);
        process(303, 10, "mdns", 303);

        assertEquals(301, pid(resolve(flow(ParsedPacket.UDP, "10.0.0.1", 53, "10.0.0.9", 33333))));
        assertEquals(302, pid(resolve(flow(ParsedPacket.UDP, "10.0.0.255", 68, "10.0.0.9", 67))));
        assertEquals(303, pid(resolve(flow(ParsedPacket.UDP, "10.0.0.1", 5353, "10.0.0.9", 5353))), "dual-stack :: takes IPv4");
        assertEquals(303, pid(resolve(flow(ParsedPacket.UDP, "fd00::1", 5353, "fd00::9", 5353))));
    }

    @Test
    void aWildcardListenerDoesNotTakeTrafficRoutedThroughTheHost() throws IOException {
        socketLine("udp", "00000000:0035", "00000000:0000", 7, 601); // a resolver on *:53
        process(601, 10, "dnsmasq", 601);
        // A pod's query to 8.8.8.8:53 seen on the host's bridge: local end 8.8.8.8, not ours.
        TrackedFlow routed = new TrackedFlow(0, flow(ParsedPacket.UDP, "8.8.8.8", 53, "172.17.0.2", 40000), clock.get());
        resolver.add(routed);
        for (int i = 0; i < 30; i++) {
            resolver.resolvePending(true);
            clock.addAndGet(25 * MS);
        }
        assertEquals(TransitOwner.FORWARDED, routed.owner());
        assertEquals(601, pid(resolve(flow(ParsedPacket.UDP, "10.0.0.1", 53, "172.17.0.2", 40001))), "its own address");
    }

    @Test
    void aRetryReadsTheSocketTablesAgainButNotTheAddresses() throws IOException {
        // A datagram to a port nobody held: unknown after the grace, then looked up again after 1 s.
        TrackedFlow early = new TrackedFlow(0, flow(ParsedPacket.UDP, "10.0.0.1", 9999, "10.0.0.7", 40000), clock.get());
        resolver.add(early);
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(25 * MS);
            resolver.resolvePending(true);
        }
        assertEquals(UnknownOwner.UDP, early.owner());
        // A wildcard socket turns up, and the namespace's addresses, were they read again, would no
        // longer hold 10.0.0.1 (the wildcard would then not take the flow). The retry reads the
        // socket table anew and judges with the addresses the first lookup read: the addresses (and
        // the NAT, read with them) do not change what happened to a flow's first packet.
        Files.writeString(host.proc("self", "net", "fib_trie"), "Local:\n");
        Files.writeString(host.proc("self", "net", "if_inet6"), "");
        socketLine("udp", "00000000:270F", "00000000:0000", 7, 901); // *:9999
        process(901, 10, "late", 901);
        clock.addAndGet(1_100 * MS);
        resolver.resolvePending(true);
        assertEquals(901, pid(early.owner()), "found in the table read anew, with the first lookup's addresses");
    }

    @Test
    void udpOfAKernelTunnelIsEncapsulated() throws IOException {
        socketLine("udp", "00000000:17C1", "00000000:0000", 7, 0); // a Geneve kernel socket on *:6081
        TrackedFlow outer = new TrackedFlow(0, flow(ParsedPacket.UDP, "10.0.0.1", 51234, "10.0.0.7", 6081), clock.get());
        resolver.add(outer);
        resolver.resolvePending(true);
        assertEquals(TransitOwner.ENCAPSULATED, outer.owner(), "to the other node's tunnel port");
        TrackedFlow incoming = new TrackedFlow(1, flow(ParsedPacket.UDP, "10.0.0.1", 6081, "10.0.0.7", 40000), clock.get());
        resolver.add(incoming);
        resolver.resolvePending(true);
        assertEquals(TransitOwner.ENCAPSULATED, incoming.owner(), "to ours");
        assertEquals(TransitOwner.ENCAPSULATED, resolve(flow(47, "10.0.0.1", 0, "10.0.0.7", 0)), "GRE");
    }

    @Test
    void aSharedSocketGoesToItsYoungestHolder() throws IOException {
        socketLine("tcp", "0100000A:0050", "0200000A:9C41", 1, 400);
        process(10, 100, "parent", 400);
        process(11, 250, "child", 400);
        process(12, 200, "other", 400);
        assertEquals(11, pid(resolve(flow(ParsedPacket.TCP, "10.0.0.1", 80, "10.0.0.2", 40001))));
    }

    @Test
    void aFlowWithoutSocketWaitsOutTheGraceThenGoesToUnknown() throws IOException {
        FlowKey key = flow(ParsedPacket.TCP, "10.0.0.1", 40002, "10.0.0.2", 80);
        TrackedFlow f = new TrackedFlow(0, key, clock.get());
        resolver.add(f);
        resolver.resolvePending(true);
        assertNull(f.owner(), "still pending: the grace has not passed");
        clock.addAndGet(300 * MS);
        resolver.resolvePending(true);
        assertNull(f.owner(), "still pending at 300 ms");
        // The socket appears (an accepted connection after its handshake): found, not unknown.
        socketLine("tcp", "0100000A:9C42", "0200000A:0050", 1, 500);
        process(50, 1, "late", 500);
        clock.addAndGet(100 * MS);
        resolver.resolvePending(true);
        assertEquals(50, pid(f.owner()));

        // Two connections whose sockets are never seen: one to the remote end the process above
        // talked to (inferred to it, and marked so), one to a remote end nobody was seen with.
        TrackedFlow again = new TrackedFlow(1, flow(ParsedPacket.TCP, "10.0.0.1", 40003, "10.0.0.2", 80), clock.get());
        TrackedFlow gone = new TrackedFlow(2, flow(ParsedPacket.TCP, "10.0.0.1", 40004, "10.0.0.9", 80), clock.get());
        resolver.add(again);
        resolver.add(gone);
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(25 * MS);
            resolver.resolvePending(true);
        }
        assertEquals(50, pid(again.owner()));
        assertTrue(again.inferred(), "marked inferred");
        assertEquals(UnknownOwner.TCP, gone.owner());
    }

    @Test
    void aSocketThatTurnsUpLateTakesTheFlowFromThen() throws IOException {
        // An accepted connection still in the backlog has no inode: unknown at first.
        TrackedFlow backlog = new TrackedFlow(0, flow(ParsedPacket.TCP, "10.0.0.1", 9000, "10.0.0.6", 41000), clock.get());
        resolver.add(backlog);
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(25 * MS);
            resolver.resolvePending(true);
        }
        assertEquals(UnknownOwner.TCP, backlog.owner());
        // The server calls accept() at last: the socket and its process appear.
        socketLine("tcp", "0100000A:2328", "0600000A:A028", 1, 800);
        process(80, 9, "slowserver", 800);
        clock.addAndGet(1_100 * MS);
        resolver.resolvePending(true);
        assertEquals(80, pid(backlog.owner()), "the flow's bytes go to the server from now on");
    }

    @Test
    void eachProcessFoundOrInferredIsTimedFromTheFlowsFirstPacket() throws IOException {
        socketLine("tcp", "0100000A:9C40", "0200000A:0050", 1, 111);
        process(100, 5000, "curl", 111);
        TrackedFlow found = new TrackedFlow(0, flow(ParsedPacket.TCP, "10.0.0.1", 40000, "10.0.0.2", 80), clock.get());
        clock.addAndGet(3 * MS); // looked up 3 ms after its first packet
        resolver.add(found);
        resolver.resolvePending(true);
        assertEquals(100, pid(found.owner()));
        // A listener's connection whose socket is gone: inferred once the grace is over.
        socketLine("tcp", "0100000A:1F90", "00000000:0000", 0x0A, 700);
        process(70, 5, "web", 700);
        TrackedFlow gone = new TrackedFlow(1, flow(ParsedPacket.TCP, "10.0.0.1", 8080, "10.0.0.5", 50123), clock.get());
        resolver.add(gone);
        // And one nobody owns: unknown, so not in the histogram.
        TrackedFlow nobody = new TrackedFlow(2, flow(ParsedPacket.TCP, "10.0.0.1", 40009, "10.0.0.9", 80), clock.get());
        resolver.add(nobody);
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(25 * MS);
            resolver.resolvePending(true);
        }
        assertTrue(gone.inferred());
        assertEquals(UnknownOwner.TCP, nobody.owner());
        AttributionLatency.Histogram h = resolver.stats().attributionLatency();
        assertEquals(2, h.count(), h.toString());
        assertEquals(1, h.counts()[2], "3 ms: the bucket up to 5 ms " + h);
        // Inferred at the first pass at or past the grace (500 ms): 20 of the test's 25 ms steps.
        assertEquals(1, h.counts()[8], "500 ms: the bucket up to 500 ms " + h);
        assertEquals(5, h.quantileMillis(0.5), h.toString());
        assertEquals(500, h.quantileMillis(0.99), h.toString());
        assertEquals(503 * MS, h.sumNanos(), h.toString());
    }

    /**
     * A connection asked for by four-tuple is found at once, its socket closes before any process is
     * seen holding it: no lookup ever missed, and the inference must still read the addresses that
     * say the local end is the namespace's own (the sink of a short upload, in FilterTrafficTest).
     */
    @Test
    void aSocketFoundAtOnceWhoseProcessWasNeverSeenGoesToTheListener() throws IOException {
        socketLine("tcp", "0100000A:1F90", "00000000:0000", 0x0A, 700); // listening on 10.0.0.1:8080
        process(70, 5, "web", 700);
        HostSocketLookup exact = new HostSocketLookup() {
            @Override
            public SocketEntry connection(FlowKey key) {
                return new SocketEntry(ParsedPacket.TCP, key.localHi(), key.localLo(), key.localPort(), key.remoteHi(),
                        key.remoteLo(), key.remotePort(), 1, 0, 999); // no process holds inode 999
            }

            @Override
            public SocketEntry listener(FlowKey key) {
                return new SocketEntry(ParsedPacket.TCP, key.localHi(), key.localLo(), key.localPort(), 0, 0, 0, 0x0A, 0,
                        700);
            }

            @Override
            public boolean available() {
                return true;
            }
        };
        FlowResolver withLookup = new FlowResolver(host, new ProcessReader(host), clock::get, exact, 500 * MS);
        withLookup.interfaces(java.util.Map.of(2, new io.podhogs.capture.NetInterface("eth0", 2, 1, 0x02fc00000001L,
                true, 2, "", false, false)), java.util.Set.of());
        TrackedFlow shortOne = new TrackedFlow(0, flow(ParsedPacket.TCP, "10.0.0.1", 8080, "10.0.0.5", 50124), clock.get());
        withLookup.add(shortOne);
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(25 * MS);
            withLookup.resolvePending(true);
        }
        assertEquals(70, pid(shortOne.owner()), "the listener's process: " + shortOne.owner());
        assertTrue(shortOne.inferred());
    }

    @Test
    void anInboundConnectionWhoseSocketIsGoneGoesToTheListener() throws IOException {
        socketLine("tcp", "0100000A:1F90", "00000000:0000", 0x0A, 700); // listening on 10.0.0.1:8080
        process(70, 5, "web", 700);
        TrackedFlow shortOne = new TrackedFlow(0, flow(ParsedPacket.TCP, "10.0.0.1", 8080, "10.0.0.5", 50123), clock.get());
        resolver.add(shortOne);
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(25 * MS);
            resolver.resolvePending(true);
        }
        assertEquals(70, pid(shortOne.owner()));
        assertTrue(shortOne.inferred());
    }

    @Test
    void missesReReadTheTablesNoMoreOftenThanTheFloor() throws IOException {
        long reads = resolver.stats().socketReads();
        for (int i = 0; i < 50; i++) {
            TrackedFlow f = new TrackedFlow(i, flow(ParsedPacket.UDP, "10.0.0.1", 20000 + i, "10.0.0.2", 9), clock.get());
            resolver.add(f);
            resolver.resolvePending(true);
            clock.addAndGet(MS / 4); // 50 misses within 12.5 ms
        }
        long during = resolver.stats().socketReads() - reads;
        assertEquals(13, during, "one read at once, then one per ms: at 0, 1 ... 12 ms");
    }

    @Test
    void protocolsWithoutSocketsAreUnknownAtOnce() {
        assertEquals(UnknownOwner.OTHER, resolve(flow(1, "10.0.0.1", 0, "10.0.0.2", 0)));
        assertEquals(UnknownOwner.OTHER, resolve(new FlowKey(2, FlowKey.NON_IP, 0, 0, 0, 0, 0, 0, 0)));
        assertEquals(UnknownOwner.UDP, resolve(new FlowKey(2, ParsedPacket.UDP, 0, 0, 0, 0, 0, 0, FlowKey.NO_PORTS)));
    }

    @Test
    void fullListsSettleFlowsAtOnceAndCountWhatTheyTurnedAway() {
        FlowResolver small = new FlowResolver(host, new ProcessReader(host), clock::get, HostSocketLookup.none(),
                HostSocketLookup.Opener.NONE, LinkPeers.none(), 500 * MS, new LookupBacklog(4, 2, 60_000 * MS), false);
        small.interfaces(java.util.Map.of(2, new io.podhogs.capture.NetInterface("eth0", 2, 1, 0x02fc00000001L,
                true, 2, "", false, false)), java.util.Set.of());
        java.util.List<TrackedFlow> flows = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) { // datagrams to closed ports: no socket will ever be found
            TrackedFlow f = new TrackedFlow(i, flow(ParsedPacket.UDP, "10.0.0.1", 30000 + i, "10.0.0.2", 9), clock.get());
            flows.add(f);
            small.add(f);
        }
        assertEquals(4, small.stats().pending(), "the list holds its bound");
        assertEquals(6, small.stats().lookupsSkipped());
        for (TrackedFlow f : flows.subList(4, 10)) {
            assertEquals(UnknownOwner.UDP, f.owner(), "settled at once, its bytes counted as unknown");
        }
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(25 * MS);
            small.resolvePending(true);
        }
        assertEquals(0, small.stats().pending());
        assertEquals(2, small.stats().retrying(), "the retry list holds its bound");
        assertEquals(2, small.stats().retriesDropped(), "the oldest retries went");
        assertEquals(4, flows.stream().filter(TrackedFlow::resolving).count() + small.stats().retriesDropped());
    }

    @Test
    void aFlowHeldUpByWhatNeverComesIsSettledAfterTheLongestWait() {
        FlowResolver bounded = new FlowResolver(host, new ProcessReader(host), clock::get, HostSocketLookup.none(),
                HostSocketLookup.Opener.NONE, LinkPeers.none(), 500 * MS, new LookupBacklog(16, 16, 2_000 * MS), false);
        // Interface 99 went before its role was read: the flow waits for it, and it never comes.
        TrackedFlow orphan = new TrackedFlow(0, new FlowKey(99, ParsedPacket.TCP, 0, Addresses.v4Lo(0x0a000001), 443, 0,
                Addresses.v4Lo(0x0a000009), 50000, 0), clock.get());
        bounded.add(orphan);
        for (int i = 0; i < 70; i++) {
            clock.addAndGet(25 * MS);
            bounded.resolvePending(true);
        }
        assertNull(orphan.owner(), "still waiting within the longest wait (1.75 s)");
        for (int i = 0; i < 20; i++) {
            clock.addAndGet(25 * MS);
            bounded.resolvePending(true);
        }
        assertEquals(UnknownOwner.TCP, orphan.owner(), "then unknown, its bytes counted");
        assertEquals(1, bounded.stats().lookupsExpired());
        assertEquals(0, bounded.stats().pending());
    }

    private static int pid(Owner owner) {
        return owner instanceof ProcessOwner p ? p.process().pid() : -1;
    }
}
