package io.podhogs.engine;

import static io.podhogs.engine.EngineHarness.ifindex;
import static io.podhogs.engine.EngineHarness.onInterface;
import static io.podhogs.engine.EngineHarness.requireProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Bridge;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/accounting.md's invariants on real namespaces: on each side of a veth separately, the accounts
 * add up to the veth's counters (the far side sends what the host end receives), each packet of a
 * namespace's socket is in exactly one account of that namespace, and nothing is counted twice.
 */
class NamespaceTrafficTest extends EngineTrafficFixture {

    /** The far side's view of a host end's counters: it sent what the host end received. */
    private static Traffic farSide(Traffic hostEnd) {
        return new Traffic(hostEnd.receivedBytes(), hostEnd.receivedPackets(), hostEnd.sentBytes(), hostEnd.sentPackets());
    }

    /**
     * One side's accounts on an interface in a snapshot that a settle call checked against the
     * kernel's counters: later reads of the counters may already hold the link's next control frame.
     */
    private static Traffic sideOf(EngineSnapshot s, int ifindex, long netns) {
        return onInterface(s, ifindex, a -> a.key().netns() == netns);
    }

    /** Waits until the namespace's accounts on the veth add up to its counters, seen from the far side. */
    private EngineSnapshot settleFarSide(String iface, long netns) {
        int ifindex = ifindex(iface);
        return harness.await(s -> onInterface(s, ifindex, a -> a.key().netns() == netns).equals(farSide(Counters.of(iface)))
                        && s.resolver().pending() == 0,
                () -> "the far side of " + iface + " to match: counted "
                        + onInterface(harness.engine.snapshot(), ifindex, a -> a.key().netns() == netns)
                        + ", kernel (far side) " + farSide(Counters.of(iface)) + " " + harness.engine.snapshot().accounts());
    }

    @Test
    void routedVethCountsTheHostAndTheNamespaceEachOnItsOwnSide() throws Exception {
        Host h = net.createHost();
        harness = new EngineHarness(h.hostIf());
        net.bringUp(h);
        long netns = TestNet.netnsInode(h.ns());
        Endpoint server = net.start(null, "tcp-sink", h.hostV4(), "5101", "--reply", "200000");
        server.expect("ready");
        Endpoint client = net.start(h.ns(), "tcp-send", h.hostV4(), "5101", "--bytes", "6000000", "--hold", "0.5");
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));

        int ifindex = ifindex(h.hostIf());
        EngineSnapshot s = harness.settle(h.hostIf());
        s = settleFarSide(h.hostIf(), netns);
        AccountSnapshot inside = requireProcess(s, client.pid());
        AccountSnapshot outside = requireProcess(s, server.pid());
        assertEquals(netns, inside.key().netns(), "the client's account carries its namespace");
        assertEquals(0, outside.key().netns(), "the server is the host's");

        Traffic insideControl = onInterface(s, ifindex, a -> a.key().netns() == netns && !a.isProcess());
        assertEquals(sideOf(s, ifindex, netns).minus(insideControl), inside.on(ifindex), "far side exact");
        Traffic hostControl = onInterface(s, ifindex, a -> a.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        assertEquals(sideOf(s, ifindex, 0).minus(hostControl), outside.on(ifindex), "host side exact");
        // One packet, two sockets, two accounts: what one sent, the other received.
        assertEquals(inside.on(ifindex).sentBytes(), outside.on(ifindex).receivedBytes());
        assertTrue(inside.sentBytes() > 6_000_000, "payload is in: " + inside);
    }

    /** A process in a namespace talks to the host's over a routed veth: IPv6, UDP both ways. */
    /**
     * Starts a server of {@code kind} (tcp-ipv4, tcp-ipv6, connected-udp-ipv4 ...) in {@code
     * serverNs} (null: the host) on {@code address}, and a client in {@code clientNs} that sends to
     * it (3 MB of TCP, or 2000 datagrams of 500 bytes) and gets replies; returns both once the client
     * is done and gone.
     */
    private Endpoint[] exchange(String kind, String serverNs, String address, String clientNs, String port) {
        Endpoint server;
        Endpoint client;
        if (kind.startsWith("tcp")) {
            server = net.start(serverNs, "tcp-sink", address, port, "--reply", "100000");
            server.expect("ready");
            client = net.start(clientNs, "tcp-send", address, port, "--bytes", "3000000", "--hold", "0.5");
        } else {
            server = net.start(serverNs, "udp-sink", address, port, "--reply", "300");
            server.expect("ready");
            List<String> args = new java.util.ArrayList<>(List.of("udp-send", address, port, "--count", "2000",
                    "--size", "500", "--replies", "--hold", "0.5"));
            if (kind.startsWith("connected")) {
                args.add("--connected");
            }
            client = net.start(clientNs, args.toArray(String[]::new));
        }
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));
        return new Endpoint[] {server, client};
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp-ipv6", "connected-udp-ipv4", "unconnected-udp-ipv6"})
    void everyKindOfSocketInANamespaceIsExactOnBothSides(String kind) throws Exception {
        Host h = net.createHost();
        harness = new EngineHarness(h.hostIf());
        net.bringUp(h);
        long netns = TestNet.netnsInode(h.ns());
        boolean v6 = kind.endsWith("ipv6");
        Endpoint[] ends = exchange(kind, null, v6 ? h.hostV6() : h.hostV4(), h.ns(), "5107");
        Endpoint server = ends[0];
        Endpoint client = ends[1];

        int ifindex = ifindex(h.hostIf());
        harness.settle(h.hostIf());
        EngineSnapshot s = settleFarSide(h.hostIf(), netns);
        AccountSnapshot inside = requireProcess(s, client.pid());
        AccountSnapshot outside = requireProcess(s, server.pid());
        Traffic insideControl = onInterface(s, ifindex, a -> a.key().netns() == netns && !a.isProcess());
        Traffic hostControl = onInterface(s, ifindex, a -> a.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        assertEquals(sideOf(s, ifindex, netns).minus(insideControl), inside.on(ifindex), kind + ": far side exact");
        assertEquals(sideOf(s, ifindex, 0).minus(hostControl), outside.on(ifindex), kind + ": host side exact");
        assertEquals(inside.on(ifindex).sentBytes(), outside.on(ifindex).receivedBytes(), "one packet, two accounts");
        if (kind.startsWith("tcp")) {
            // The host's end and the namespace's, each asked for by its four-tuple through a netlink
            // socket of its own namespace (ExactConnections): neither table was read.
            assertEquals(0, s.resolver().socketReads(), "no socket table read");
        }
        if (kind.contains("udp")) {
            assertEquals(2000, inside.sentPackets(), "every datagram");
            assertEquals(2000L * (14 + (v6 ? 40 : 20) + 8 + 500), inside.sentBytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp-ipv4", "tcp-ipv6", "connected-udp-ipv4", "unconnected-udp-ipv6", "cni-tcp-ipv4",
            "cni-connected-udp-ipv4"})
    void podToPodOverABridgeIsOneSentAndOneReceivedAccountAndForwardedOnTheHost(String kind) throws Exception {
        harness = new EngineHarness(); // every device, from before the bridge and the pods exist
        Bridge bridge = net.createBridge();
        // cni-: pods whose eth0 all have one index, as CNI plugins make them, and a third such pod
        // that only holds its namespace (as a pod's pause process does): the namespace behind each
        // veth is the one the kernel names, not one that happens to have the peer's index.
        boolean cni = kind.startsWith("cni-");
        kind = kind.replace("cni-", "");
        Host a = net.createPod(bridge, 1, cni);
        Host b = net.createPod(bridge, 2, cni);
        if (cni) {
            Host c = net.createPod(bridge, 3, true);
            net.start(c.ns(), "udp-sink", c.peerV4(), "5199").expect("ready");
        }
        long netnsA = TestNet.netnsInode(a.ns());
        long netnsB = TestNet.netnsInode(b.ns());
        Endpoint[] ends = exchange(kind, b.ns(), kind.endsWith("ipv6") ? b.peerV6() : b.peerV4(), a.ns(), "5102");
        Endpoint server = ends[0];
        Endpoint client = ends[1];

        int ifA = ifindex(a.hostIf());
        int ifB = ifindex(b.hostIf());
        settleFarSide(a.hostIf(), netnsA);
        EngineSnapshot s = settleFarSide(b.hostIf(), netnsB);
        AccountSnapshot sender = requireProcess(s, client.pid());
        AccountSnapshot receiver = requireProcess(s, server.pid());

        Traffic controlA = onInterface(s, ifA, x -> x.key().netns() == netnsA && !x.isProcess());
        Traffic controlB = onInterface(s, ifB, x -> x.key().netns() == netnsB && !x.isProcess());
        assertEquals(sideOf(s, ifA, netnsA).minus(controlA), sender.on(ifA), "pod A on its veth, exact");
        assertEquals(sideOf(s, ifB, netnsB).minus(controlB), receiver.on(ifB), "pod B on its veth, exact");
        assertEquals(sender.total(), sender.on(ifA), "pod A counted nowhere else: not on B's veth, not on the bridge");
        assertEquals(receiver.total(), receiver.on(ifB), "pod B counted nowhere else");
        assertEquals(sender.sentBytes(), receiver.receivedBytes(), "what A sent, B received: one account each");
        if (kind.contains("udp")) {
            assertEquals(2000, sender.sentPackets(), "every datagram, once");
        }

        for (int port : new int[] {ifA, ifB}) {
            Traffic hostSide = onInterface(s, port, x -> x.key().netns() == 0);
            Traffic forwarded = onInterface(s, port, x -> x.key().equals(new OwnerKey(TransitOwner.FORWARDED)));
            assertEquals(hostSide, forwarded, "a bridge port carries no host socket's bytes");
        }
        int br = ifindex(bridge.name());
        assertTrue(s.accounts().stream().filter(AccountSnapshot::isProcess).allMatch(x -> x.on(br).equals(Traffic.NONE)),
                "pod-to-pod frames are bridged, never a process's on the bridge device");
    }

    @Test
    void shortConnectionsGoToTheListenerWhenTheirSocketsAreGone() throws Exception {
        Host h = net.createHost();
        harness = new EngineHarness(h.hostIf());
        net.bringUp(h);
        Endpoint server = net.start(null, "tcp-sink", h.hostV4(), "5103");
        server.expect("ready");
        Endpoint burst = net.start(h.ns(), "tcp-burst", h.hostV4(), "5103", "--count", "60", "--bytes", "20000",
                "--pace", "0.005", "--hold", "0.5");
        burst.expect("ready");
        burst.expect("done");
        burst.awaitExit(Duration.ofSeconds(20));

        int ifindex = ifindex(h.hostIf());
        long netns = TestNet.netnsInode(h.ns());
        harness.settle(h.hostIf());
        EngineSnapshot s = settleFarSide(h.hostIf(), netns);
        AccountSnapshot listener = requireProcess(s, server.pid());
        Traffic control = onInterface(s, ifindex, a -> a.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        // Exact or inferred, every byte of the 60 connections is the listener's, none unknown.
        assertEquals(sideOf(s, ifindex, 0).minus(control), listener.on(ifindex), "all to the listener's process");
        assertTrue(listener.receivedBytes() > 60 * 20_000, "payloads are in: " + listener);

        // The far side: the namespace's accounts add up to the veth's counters (settleFarSide), so
        // every byte is in the right namespace, and its TCP bytes are exactly what the listener
        // received: each byte once on each side. Whether they reach the client process is timing:
        // another namespace's sockets are read from /proc (milliseconds a read), and a connection
        // that lives a millisecond is usually gone by then (README, "What is not there yet").
        Traffic farTcp = onInterface(s, ifindex, a -> a.key().netns() == netns
                && !a.key().name().startsWith("unknown other"));
        assertEquals(listener.on(ifindex).receivedBytes(), farTcp.sentBytes(), "sent from the namespace = received by the host");
        assertEquals(listener.on(ifindex).sentBytes(), farTcp.receivedBytes(), "and back");
        assertTrue(s.accounts().stream().noneMatch(a -> a.key().netns() != netns && a.key().netns() != 0),
                "no other namespace has any of it: " + s.accounts());
    }

    /**
     * A macvlan stacked on the host end of a veth carries the host's address: the host's sockets
     * send through the macvlan, and each of their frames crosses the veth (its lower device) too.
     * They are the client's on the macvlan only, forwarded on the lower device, and the server's
     * on the far side of the veth: each byte once for each socket.
     */
    @Test
    void aStackedDevicesFramesAreItsSocketsOnceAndForwardedOnItsLowerDevice() throws Exception {
        harness = new EngineHarness(); // every device: the macvlan is made after the capture opened
        Host h = net.createHost();
        String upper = net.macvlanOn(h);
        long netns = TestNet.netnsInode(h.ns());
        Endpoint server = net.start(h.ns(), "tcp-sink", h.peerV4(), "5106", "--reply", "200000");
        server.expect("ready");
        Endpoint client = net.start(null, "tcp-send", h.peerV4(), "5106", "--bytes", "4000000", "--hold", "0.5");
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));
        harness.settle(upper);
        harness.settle(h.hostIf());
        EngineSnapshot s = settleFarSide(h.hostIf(), netns);

        int up = ifindex(upper);
        int low = ifindex(h.hostIf());
        AccountSnapshot sender = requireProcess(s, client.pid());
        Traffic upperControl = onInterface(s, up, a -> a.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        assertEquals(sideOf(s, up, 0).minus(upperControl), sender.on(up), "the client's frames, on the macvlan");
        assertEquals(Traffic.NONE, sender.on(low), "and not again on its lower device");
        Traffic lowerControl = onInterface(s, low, a -> a.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        Traffic lowerForwarded = onInterface(s, low, a -> a.key().equals(new OwnerKey(TransitOwner.FORWARDED)));
        assertEquals(sideOf(s, low, 0).minus(lowerControl), lowerForwarded, "the lower device's host side: forwarded");
        AccountSnapshot receiver = requireProcess(s, server.pid());
        Traffic farControl = onInterface(s, low, a -> a.key().netns() == netns && !a.isProcess());
        assertEquals(sideOf(s, low, netns).minus(farControl), receiver.on(low), "the namespace's side: the server's");
        assertEquals(sender.on(up).sentBytes(), receiver.on(low).receivedBytes(), "each byte once for each socket");
        assertTrue(receiver.receivedBytes() > 4_000_000, "payload is in: " + receiver);
    }

    @Test
    void aNamespaceThatLivesOneSecondIsCountedExactly() throws Exception {
        harness = new EngineHarness(); // every device: the veth is born and removed while capturing
        Host h = net.createHost();
        net.bringUp(h);
        long netns = TestNet.netnsInode(h.ns());
        Endpoint server = net.start(null, "tcp-sink", h.hostV4(), "5104");
        server.expect("ready");
        Endpoint client = net.start(h.ns(), "tcp-send", h.hostV4(), "5104", "--bytes", "3000000", "--hold", "0.3");
        client.expect("ready");
        client.expect("done");
        client.awaitExit(Duration.ofSeconds(10));
        EngineSnapshot s = settleFarSide(h.hostIf(), netns);
        int ifindex = ifindex(h.hostIf());
        Traffic truth = sideOf(s, ifindex, netns);
        Traffic control = onInterface(s, ifindex, a -> a.key().netns() == netns && !a.isProcess());
        assertEquals(truth.minus(control), requireProcess(s, client.pid()).on(ifindex), "exact while it lived");

        net.close(); // the namespace and its veth go
        EngineSnapshot after = harness.await(snap -> true, "a snapshot");
        EngineHarness.sleep(1500);
        after = harness.engine.snapshot();
        assertEquals(requireProcess(s, client.pid()).on(ifindex), requireProcess(after, client.pid()).on(ifindex),
                "and kept after it went");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp-ipv4", "connected-udp-ipv4", "unconnected-udp-ipv4"})
    void podEgressThroughMasqueradeIsThePodsOnceAndForwardedOnTheHost(String kind) throws Exception {
        harness = new EngineHarness(); // every device: the pod's veth, the bridge, the way out
        Bridge bridge = net.createBridge();
        Host pod = net.createPod(bridge, 1);
        Host outside = net.createHost();
        net.bringUp(outside);
        net.masquerade(bridge, outside);
        long podNetns = TestNet.netnsInode(pod.ns());
        long outsideNetns = TestNet.netnsInode(outside.ns());
        Endpoint[] ends = exchange(kind, outside.ns(), outside.peerV4(), pod.ns(), "5105");
        Endpoint server = ends[0];
        Endpoint client = ends[1];

        settleFarSide(pod.hostIf(), podNetns);
        EngineSnapshot s = settleFarSide(outside.hostIf(), outsideNetns);
        s = harness.settle(outside.hostIf());
        int podIf = ifindex(pod.hostIf());
        int outIf = ifindex(outside.hostIf());
        AccountSnapshot sender = requireProcess(s, client.pid());
        AccountSnapshot receiver = requireProcess(s, server.pid());
        assertEquals(sender.total(), sender.on(podIf), "the pod's bytes are on its veth only, not again after NAT");
        assertEquals(receiver.total(), receiver.on(outIf), "the outside's on its veth only");
        Traffic podControl = onInterface(s, podIf, x -> x.key().netns() == podNetns && !x.isProcess());
        assertEquals(sideOf(s, podIf, podNetns).minus(podControl), sender.on(podIf), "pod side exact");

        // The host's side of the way out: the NATed connection is forwarded, recognised by conntrack.
        Traffic hostSide = onInterface(s, outIf, x -> x.key().netns() == 0);
        Traffic forwarded = onInterface(s, outIf, x -> x.key().equals(new OwnerKey(TransitOwner.FORWARDED)));
        Traffic control = onInterface(s, outIf, x -> x.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        assertEquals(hostSide.minus(control), forwarded, "nothing of it unknown: " + s.accounts());
        assertTrue(forwarded.sentBytes() > (kind.startsWith("tcp") ? 3_000_000 : 2000 * 500),
                "the payload went out as forwarded: " + forwarded);
        assertEquals(sender.sentBytes(), receiver.receivedBytes(), "what the pod sent, the outside received");
    }

    @Test
    void tunnelPacketsBetweenNodesAreEncapsulatedNotUnknown() throws Exception {
        Host h = net.createHost(); // the namespace plays another node; the host sends it IPIP packets
        harness = new EngineHarness(h.hostIf());
        net.bringUp(h);
        Endpoint tunnel = net.start(null, "ipip-raw", h.peerV4(), "0", "--count", "300", "--size", "1000",
                "--hold", "0.3");
        tunnel.expect("ready");
        tunnel.expect("done");
        tunnel.awaitExit(Duration.ofSeconds(10));

        int ifindex = ifindex(h.hostIf());
        EngineSnapshot s = harness.settle(h.hostIf());
        Traffic encapsulated = onInterface(s, ifindex, x -> x.key().equals(new OwnerKey(TransitOwner.ENCAPSULATED)));
        assertEquals(300, encapsulated.sentPackets(), "every outer packet: " + s.accounts());
        assertEquals(300L * (14 + 20 + 20 + 1000), encapsulated.sentBytes(), "Ethernet + outer IP + inner packet");
        Traffic hostSide = onInterface(s, ifindex, x -> x.key().netns() == 0);
        Traffic control = onInterface(s, ifindex, x -> x.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        assertEquals(hostSide.minus(control).sentPackets(), 300, "nothing else sent but the tunnel's packets");
        assertTrue(control.sentPackets() < 10, "unknown holds only the link's own control frames: " + control);
    }
}
