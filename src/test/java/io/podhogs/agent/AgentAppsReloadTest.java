package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.testing.Await;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The agent's applications file replaced while it runs, as the kubelet updates a ConfigMap volume
 * (the {@code ..data} symlink swap): a good new version names the same sender's exact bytes under
 * its new application from the next refresh; a broken one is refused (one warning,
 * podhogs_apps_file_stale 1, the refused counter) and the last good one stays; the next good one
 * clears it.
 */
@QuarkusTest
@TestProfile(AgentAppsReloadTest.WithRulesFile.class)
class AgentAppsReloadTest extends AgentTrafficFixture {
    private static final int DATAGRAMS = 200;
    private static final Path DIR = tempDir();
    private static final Path FILE = DIR.resolve("apps.yaml");

    public static final class WithRulesFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.metrics.refresh", "200ms",
                    "podhogs.apps.file", FILE.toString());
        }
    }

    /** One name per JVM: the profile and the test are loaded by two class loaders, and must agree. */
    private static Path tempDir() {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "podhogs-apps-reload-" + ProcessHandle.current().pid());
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void removeFiles() throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(DIR)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** udp-se[n]d: the sender's command line, not this JVM's, which holds the text. */
    private static String rules(String name, String match) {
        return "apps:\n  - name: " + name + "\n    rules:\n      - match: \"" + match + "\"\nunmatched: own\n";
    }

    private static int version;

    /** The kubelet's AtomicWriter: a new hidden directory, a new ..data symlink renamed over the old one. */
    private static void publish(String text) throws IOException {
        Path dir = Files.createDirectory(DIR.resolve("..2026_12_06_21_00_00." + (++version)));
        Files.writeString(dir.resolve("apps.yaml"), text);
        Path tmp = Files.createSymbolicLink(DIR.resolve("..data_tmp"), dir.getFileName());
        Files.move(tmp, DIR.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (!Files.exists(FILE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(FILE, Path.of("..data/apps.yaml"));
        }
    }

    @Test
    void aNewVersionIsUsedABrokenOneIsRefusedAndTheLastGoodOneStays() throws Exception {
        publish(rules("first", "udp-se[n]d"));
        agent.start();
        udpToANewHost("5821", DATAGRAMS, 60);
        long sent = DATAGRAMS * 1042L; // 1000 bytes of payload, 42 of headers each
        awaitApp("first", sent);

        publish(rules("second", "udp-se[n]d"));
        awaitApp("second", sent);
        assertEquals(Optional.of(0.0), scrape("podhogs_apps_file_stale", Map.of()));
        assertEquals(Optional.of(1.0), scrape("podhogs_apps_file_reloads_total", Map.of("result", "applied")));

        publish(rules("third", "(udp-se[n]d")); // not a regular expression
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(100), () -> scrape("podhogs_apps_file_stale", Map.of()),
                stale -> stale.equals(Optional.of(1.0)), "the broken version to be refused");
        assertEquals(Optional.of(1.0), scrape("podhogs_apps_file_reloads_total", Map.of("result", "refused")));
        awaitApp("second", sent); // the last good version, still

        publish(rules("fourth", "udp-se[n]d"));
        awaitApp("fourth", sent);
        assertEquals(Optional.of(0.0), scrape("podhogs_apps_file_stale", Map.of()));
        assertEquals(Optional.of(2.0), scrape("podhogs_apps_file_reloads_total", Map.of("result", "applied")));
    }

    /** Waits until the sender's bytes are one application's, {@code name}, and no other's. */
    private static void awaitApp(String name, long sent) {
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(100), () -> new JsonPath(get("/api/v1/apps").asString()),
                apps -> apps.getList("items.app", String.class).contains(name)
                        && apps.getLong("items.find { it.app == '" + name + "' }.usage.sent_bytes") == sent
                        && apps.getList("items.app", String.class).stream().filter(a -> a.matches("first|second|third|fourth"))
                        .toList().equals(List.of(name)),
                (JsonPath apps) -> "application " + name + " with " + sent + " bytes sent: " + apps.prettify());
    }

    private static Optional<Double> scrape(String series, Map<String, String> labels) {
        String metrics = get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        return new Scrape(metrics).value(series, labels);
    }
}
