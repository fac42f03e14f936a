package io.podhogs.cli;

import io.podhogs.testing.TestNet;
import java.time.Duration;

/**
 * The traffic the top view and trace tests watch: a routed veth host, a UDP sink at each end, and
 * 1000-byte datagrams both ways (200 a second from this host into the namespace, 150 a second back),
 * so one process only sends and another only receives.
 *
 * @param veth the host whose host-side interface the tests capture on
 * @param sender the pid of this host's sender (into the namespace)
 * @param receiver the pid of this host's sink (of the namespace's datagrams)
 */
record UdpBothWays(TestNet.Host veth, long sender, long receiver) {
    /** The UDP ports of the sinks in the namespace and on the host end. */
    static final int NAMESPACE_PORT = 40111;
    static final int HOST_PORT = 40112;

    /** Started in {@code net} (which stops them when closed), sending when this returns. */
    static UdpBothWays start(TestNet net) {
        TestNet.requireUsable();
        TestNet.Host veth = net.createHost();
        net.bringUp(veth);
        Duration lifetime = Duration.ofMinutes(5); // a bound, should the test JVM die
        net.start(veth.ns(), "udp-sink", veth.peerV4(), Integer.toString(NAMESPACE_PORT)).expect("ready");
        TestNet.Endpoint hostSink = net.start(null, "udp-sink", veth.hostV4(), Integer.toString(HOST_PORT));
        hostSink.expect("ready");
        long sender = net.udpStream(null, veth.peerV4(), NAMESPACE_PORT, 200, lifetime).pid();
        net.udpStream(veth.ns(), veth.hostV4(), HOST_PORT, 150, lifetime);
        return new UdpBothWays(veth, sender, hostSink.pid());
    }
}
