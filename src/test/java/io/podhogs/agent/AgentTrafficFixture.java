package io.podhogs.agent;

import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;

/**
 * What an agent test that makes traffic holds: the agent Quarkus injected and the test's links and
 * namespaces, both gone after each test (the agent first, so that it never sees its links vanish
 * from under an open capture), as {@code io.podhogs.engine.EngineTrafficFixture} does for the engine.
 */
abstract class AgentTrafficFixture {
    @Inject
    Agent agent;

    protected final TestNet net = new TestNet();

    /** A host process that sent datagrams into a veth's namespace, where a sink took them. */
    protected record Udp(Host host, Endpoint sink, Endpoint sender) {
    }

    /**
     * A new veth and its namespace, a sink there, and a host process that sends it {@code datagrams}
     * datagrams of 1000 bytes (1042 on the wire each), then holds its socket for {@code holdSeconds};
     * returns once every datagram is sent.
     */
    protected Udp udpToANewHost(String port, int datagrams, int holdSeconds) {
        Host h = net.createHost();
        net.bringUp(h);
        Endpoint sink = net.start(h.ns(), "udp-sink", h.peerV4(), port);
        sink.expect("ready");
        Endpoint sender = net.start(null, "udp-send", h.peerV4(), port, "--connected", "--count",
                Integer.toString(datagrams), "--size", "1000", "--pace", "0.001", "--hold", Integer.toString(holdSeconds));
        sender.expect("ready");
        sender.expect("done");
        return new Udp(h, sink, sender);
    }

    @AfterEach
    void closeAgentThenNet() {
        agent.close();
        net.close();
    }
}
