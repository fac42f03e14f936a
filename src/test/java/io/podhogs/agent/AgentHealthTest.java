package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.Traffic;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.testing.Await;
import io.podhogs.testing.CaptureFaults;
import io.podhogs.testing.Counters;
import io.podhogs.testing.EngineFaults;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Liveness follows the engine and the capture, each made to stall or die from outside: a capture
 * thread ended as a libpcap error ends it (its loop broken), a capture the kernel stops feeding
 * (a reject-all socket filter attached behind libpcap's back), an engine thread held, one killed
 * by an Error. Liveness turns red on each; it turns green again where podhogs can mend it
 * (reopening a handle) or the stall ends, and stays red where only a restart can.
 */
@QuarkusTest
@TestProfile(AgentHealthTest.NoCluster.class)
class AgentHealthTest extends AgentTrafficFixture {

    public static final class NoCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.metrics.refresh", "200ms");
        }
    }

    private static int awaitStatus(String path, IntPredicate wanted, String what) {
        return Await.until(Duration.ofSeconds(15), Duration.ofMillis(20), () -> get(Management.url(path)).statusCode(),
                wanted::test, what + " on " + path);
    }

    /** Waits until the host side's accounts on {@code iface} equal the kernel's counters, to the byte. */
    private void awaitHostSideCounted(String iface) throws IOException {
        int ifindex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", iface, "ifindex")).trim());
        Await.until(Duration.ofSeconds(10), () -> agent.snapshot().orElseThrow().accounts().stream()
                        .filter(a -> a.key().netns() == 0).map(a -> a.on(ifindex)).reduce(Traffic.NONE, Traffic::plus),
                counted -> counted.equals(Counters.of(iface)),
                (Traffic counted) -> "the veth's bytes all counted: " + counted + ", kernel " + Counters.of(iface));
    }

    @Test
    void aCaptureThatEndsTurnsLivenessRedUntilTheEngineReopensIt() throws Exception {
        agent.start();
        awaitStatus("/q/health/ready", s -> s == 200, "readiness");
        assertEquals(200, get(Management.url("/q/health/live")).statusCode());

        // pcap_breakloop from outside: the loop returns as if libpcap had given up on the handle.
        assertEquals(1, CaptureFaults.breakLoop(io.quarkus.arc.ClientProxy.unwrap(agent), "any"));
        awaitStatus("/q/health/live", s -> s == 503, "liveness turning red");
        awaitStatus("/q/health/live", s -> s == 200, "liveness green again, the capture reopened");
        EngineSnapshot after = agent.snapshot().orElseThrow();
        assertEquals(1, after.captures().get(0).restarts(), "one restart, counted");
        // The metrics follow the next refresh: no need to ask a hundred times a second.
        double restarts = Await.until(Duration.ofSeconds(5), Duration.ofMillis(50),
                () -> new Scrape(get(Management.url("/metrics")).asString()).value("podhogs_capture_restarts_total",
                        Map.of("capture", "any")).orElse(0.0), r -> r >= 1, "the restart in the metrics");
        assertEquals(1.0, restarts, "the restart in the metrics too");

        Host h = net.createHost();
        net.bringUp(h);
        net.sendToPeer(h, "5701", 300_000);
        awaitHostSideCounted(h.hostIf()); // after the restart
    }

    /** The names of the liveness checks that are DOWN. */
    private static java.util.List<String> down() {
        return get(Management.url("/q/health/live")).jsonPath().getList("checks.findAll { it.status == 'DOWN' }.name", String.class);
    }

    @Test
    void anEngineThatStallsTurnsLivenessRedUntilItMovesAgain() throws Exception {
        agent.start();
        awaitStatus("/q/health/live", s -> s == 200, "liveness");
        long held;
        try (EngineFaults.Stall stall = EngineFaults.stall(EngineFaults.engineOf(io.quarkus.arc.ClientProxy.unwrap(agent)))) {
            long since = System.nanoTime();
            awaitStatus("/q/health/live", s -> s == 503, "liveness turning red");
            held = System.nanoTime() - since;
            assertEquals(java.util.List.of("engine"), down(), "the engine's check, not the capture's");
            org.junit.jupiter.api.Assertions.assertTrue(stall.holding());
        }
        // Ten refreshes of 200 ms are less than the floor: nothing published for 10 s is a stall.
        org.junit.jupiter.api.Assertions.assertTrue(held >= 10_000_000_000L - 200_000_000L, "red after " + held + " ns");
        awaitStatus("/q/health/live", s -> s == 200, "liveness green again once the engine moves");
    }

    @Test
    void anEngineThreadThatDiesTurnsLivenessRedForGood() throws Exception {
        agent.start();
        awaitStatus("/q/health/live", s -> s == 200, "liveness");
        EngineFaults.kill(EngineFaults.engineOf(io.quarkus.arc.ClientProxy.unwrap(agent)),
                new StackOverflowError("made to end by AgentHealthTest"));
        awaitStatus("/q/health/live", s -> s == 503, "liveness turning red");
        assertEquals(java.util.List.of("engine"), down());
        Thread.sleep(2000);
        assertEquals(503, get(Management.url("/q/health/live")).statusCode(), "a dead engine does not come back: the kubelet restarts the pod");
    }

    @Test
    void aCaptureTheKernelStopsFeedingTurnsLivenessRedUntilItIsReopened() throws Exception {
        agent.start();
        awaitStatus("/q/health/ready", s -> s == 200, "readiness");
        Host h = net.createHost();
        net.bringUp(h);
        assertEquals(1, CaptureFaults.deafen(io.quarkus.arc.ClientProxy.unwrap(agent), "any"));
        // Frames the any handle would have queued: a few hundred datagrams through the veth.
        TestNet.Endpoint sender = net.start(null, "udp-send", h.peerV4(), "5761", "--count", "600", "--size", "64",
                "--pace", "0.005");
        sender.expect("ready");
        sender.expect("done");
        awaitStatus("/q/health/live", s -> s == 503, "liveness turning red");
        assertEquals(java.util.List.of("capture"), down());
        awaitStatus("/q/health/live", s -> s == 200, "liveness green again, the deaf handle reopened");
        assertEquals(1, agent.snapshot().orElseThrow().captures().get(0).restarts(), "one restart, counted");

        // The reopened handle counts a new veth's traffic to the byte.
        Host after = net.createHost();
        net.bringUp(after);
        net.sendToPeer(after, "5762", 300_000);
        awaitHostSideCounted(after.hostIf()); // after the reopen
    }
}
