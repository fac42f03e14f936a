package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.podhogs.accounting.Traffic;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.testing.CaptureFaults;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Liveness follows the capture: its thread is made to end as a libpcap error would end it (its
 * loop broken from outside), the agent's liveness turns red, the engine reopens the capture after
 * its backoff, liveness turns green again, and traffic made afterwards is counted to the byte.
 */
@QuarkusTest
@TestProfile(AgentHealthTest.NoCluster.class)
class AgentHealthTest extends AgentTrafficTest {

    public static final class NoCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.metrics.refresh", "200ms");
        }
    }

    private static int awaitStatus(String path, IntPredicate wanted, String what) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            int status = get(Management.url(path)).statusCode();
            if (wanted.test(status)) {
                return status;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return fail(what + " never came");
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
        long until = System.nanoTime() + 5_000_000_000L;
        double restarts = 0;
        while (restarts < 1 && System.nanoTime() < until) {
            restarts = new Scrape(get(Management.url("/metrics")).asString()).value("podhogs_capture_restarts_total",
                    Map.of("capture", "any")).orElse(0.0);
        }
        assertEquals(1.0, restarts, "the restart in the metrics too");

        Host h = net.createHost();
        net.bringUp(h);
        net.sendToPeer(h, "5701", 300_000);
        int ifindex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", h.hostIf(), "ifindex")).trim());
        long deadline = System.nanoTime() + 10_000_000_000L;
        Traffic counted = Traffic.NONE;
        while (System.nanoTime() < deadline) {
            counted = agent.snapshot().orElseThrow().accounts().stream().filter(a -> a.owner().netns() == 0)
                    .map(a -> a.on(ifindex)).reduce(Traffic.NONE, Traffic::plus);
            if (counted.equals(Counters.of(h.hostIf()))) {
                return;
            }
            Thread.sleep(50);
        }
        fail("after the restart the veth's bytes were not all counted: " + counted + ", kernel " + Counters.of(h.hostIf()));
    }
}
