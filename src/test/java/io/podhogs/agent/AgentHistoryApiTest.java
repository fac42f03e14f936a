package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podhogs.cli.Cli;
import io.podhogs.host.HostFiles;
import io.podhogs.testing.Await;
import io.podhogs.testing.Loopback;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * /api/v1/history: what the agent recorded, the same rows {@code podhogs history -o json} reads
 * from its file, and a 400 for each bad parameter. (That the file holds every byte the kernel
 * counted is AgentJarIT's and HistoryTrafficTest's.)
 */
@QuarkusTest
@TestProfile(AgentHistoryApiTest.Recording.class)
class AgentHistoryApiTest {
    static final Path FILE = Loopback.historyFile("podhogs-history-api");

    @jakarta.inject.Inject
    Agent agent;

    @org.junit.jupiter.api.AfterEach
    void stopAgent() {
        agent.close();
    }

    public static final class Recording implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.interfaces", "lo", "podhogs.history.enabled", "true",
                    "podhogs.history.file", FILE.toString(), "podhogs.history.flush-interval", "1s");
        }
    }

    @Test
    void theApiAnswersWhatTheFileHoldsAsPodhogsHistoryReadsIt() throws Exception {
        agent.start();
        Loopback.send(1_000_000);
        ObjectMapper json = new ObjectMapper();
        // Flushed once a second: wait until the file holds a program row of a megabyte or more.
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), () -> get("/api/v1/history?by=program").asString(),
                body -> {
                    try {
                        for (JsonNode row : json.readTree(body).path("items")) {
                            if (row.path("sent_bytes").asLong() >= 1_000_000) {
                                return true;
                            }
                        }
                        return false;
                    } catch (IOException e) {
                        return false;
                    }
                }, body -> "a program that sent a megabyte in the history: " + body);
        for (String by : List.of("program", "container", "pod", "workload", "namespace", "app")) {
            for (String resolution : List.of("5min", "hours", "days", "months", "years")) {
                // The file is written on: ask both until they agree on the same flush.
                Await.until(Duration.ofSeconds(15), Duration.ofMillis(100), () -> {
                    JsonNode api = json.readTree(get("/api/v1/history?by=" + by + "&resolution=" + resolution + "&top=1000")
                            .then().statusCode(200).extract().asString());
                    List<JsonNode> cli = cli("--by", by, "--" + resolution, "--top", "1000");
                    List<JsonNode> items = new ArrayList<>();
                    api.path("items").forEach(items::add);
                    return items.equals(cli) && api.path("truncated").asBoolean(true) == false
                            && api.path("resolution").asText().equals(resolution);
                }, same -> same, same -> "/api/v1/history?by=" + by + "&resolution=" + resolution
                        + " to be podhogs history's rows");
            }
        }
        // The applications (automatic here: programs by base name) hold the programs' bytes.
        Await.until(Duration.ofSeconds(15), Duration.ofMillis(100),
                () -> List.of(sentBytes(json, "program"), sentBytes(json, "app")),
                sums -> sums.get(0) >= 1_000_000 && sums.get(0).equals(sums.get(1)),
                sums -> "the programs' and the applications' sent bytes to agree: " + sums);
    }

    private static Long sentBytes(ObjectMapper json, String by) throws IOException {
        long sum = 0;
        for (JsonNode row : json.readTree(get("/api/v1/history?by=" + by + "&resolution=years&top=1000").asString())
                .path("items")) {
            sum += row.path("sent_bytes").asLong();
        }
        return sum;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/history?by=user|by takes program, container, pod, workload, namespace or app, not 'user'",
            "/api/v1/history?resolution=weeks|resolution takes 5min, hours, days, months or years, not 'weeks'",
            "/api/v1/history?top=0|top must be 1 to 1000, not 0",
            "/api/v1/history?since=yesterday|since takes an RFC 3339 time such as 2026-12-05T00:00:00Z, not 'yesterday'"})
    void aBadParameterIsA400ThatSaysWhatIsWrong(String path, String error) {
        Response r = get(path);
        assertEquals(400, r.statusCode(), r::asString);
        assertEquals(Map.of("error", error), new JsonPath(r.asString()).getMap("$"));
    }

    private static List<JsonNode> cli(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("history", "--file", FILE.toString(), "-o", "json"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.execute(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), HostFiles.system());
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                rows.add(json.readTree(line));
            }
        }
        return rows;
    }
}
