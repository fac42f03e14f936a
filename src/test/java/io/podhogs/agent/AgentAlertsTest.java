package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.testing.Await;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The agent's alert rules (podhogs.alerts.file) on real traffic: a host process sends about
 * 208 kB/s for 12 s, then holds its socket idle; podhogs_alerts_firing{alert} is 1 while its rule
 * fires and 0 once it resolved; a rule that sees nothing stays at 0.
 */
@QuarkusTest
@TestProfile(AgentAlertsTest.WithAlerts.class)
class AgentAlertsTest extends AgentTrafficFixture {
    /** One name per JVM: the profile and the test are loaded by two class loaders, and must agree. */
    private static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"),
            "podhogs-agent-alerts-" + ProcessHandle.current().pid() + ".yaml");

    public static final class WithAlerts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.writeString(FILE, String.join("\n",
                        "alerts:",
                        "  - name: sender-hog",
                        "    match: udp-se[n]d",
                        "    direction: out",
                        "    above: 100kB/s",
                        "    window: 3s",
                        "    clear_below: 50kB/s",
                        "    clear_after: 2s",
                        "  - name: quiet",
                        "    match: no-such-progra[m]",
                        "    above: 1B/s",
                        ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.metrics.refresh", "200ms",
                    "podhogs.alerts.file", FILE.toString());
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void removeFile() throws IOException {
        Files.deleteIfExists(FILE);
    }

    @Test
    void theFiringStateIsASeriesThatRisesAndFallsOnce() throws Exception {
        agent.start();
        // What the series says, every 100 ms, from before the traffic to after it resolved.
        List<Double> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                firing("sender-hog").ifPresent(seen::add);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        try {
            udpToANewHost("5841", 2400, 60); // 200 a second, 1042 bytes each: sent, then idle
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), () -> List.copyOf(seen),
                    s -> s.contains(1.0) && s.get(s.size() - 1) == 0.0, s -> "the alert to fire and resolve: " + s);
        } finally {
            watching.set(false);
        }
        List<Double> changes = new ArrayList<>();
        for (Double v : List.copyOf(seen)) {
            if (changes.isEmpty() || !changes.get(changes.size() - 1).equals(v)) {
                changes.add(v);
            }
        }
        assertEquals(List.of(0.0, 1.0, 0.0), changes, "fired once, resolved once: " + seen);
        assertEquals(Optional.of(0.0), firing("quiet"));
    }

    private static Optional<Double> firing(String alert) {
        String metrics = get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        return new Scrape(metrics).value("podhogs_alerts_firing", Map.of("alert", alert));
    }
}
