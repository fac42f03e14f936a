package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Await;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JSON API as a client meets it over HTTP: every bad parameter a 400 whose JSON says what is
 * wrong, an unknown continue token a 410, one request too many a 429 with Retry-After, pages that
 * go through a list of real processes whose rows change at every refresh, and their command lines
 * with the secrets hidden.
 */
@QuarkusTest
@TestProfile(AgentApiTest.TwoAtOnce.class)
class AgentApiTest extends AgentTrafficFixture {
    static final int AT_ONCE = 2;

    public static final class TwoAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.metrics.refresh", "200ms",
                    "podhogs.api.max-concurrent-requests", Integer.toString(AT_ONCE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/pods?limit=abc|limit must be a whole number of rows (1 to 5000), not 'abc'",
            "/api/v1/pods?limit=0|limit must be 1 or more (at most 5000 rows a page), not 0",
            "/api/v1/pods?limit=-1|limit must be 1 or more (at most 5000 rows a page), not -1",
            "/api/v1/pods?selector=app%3D%3D%3Dx%3D|selector 'app===x=': '=x=' is not a label value (terms: key=value,"
                    + " key==value, key!=value, key, !key, separated by commas)",
            "/api/v1/connections?selector=app%3Dweb,|selector 'app=web,': an empty term (two commas, or one at an end)"
                    + " (terms: key=value, key==value, key!=value, key, !key, separated by commas)",
            "/api/v1/processes?sort=loudest|sort is sent, received, total, sent-bytes, received-bytes or bytes, not loudest",
            "/api/v1/pods?limt=5|unknown parameter limt: the lists take namespace, selector, sort, limit and continue",
            "/api/v1/pods?namespace=Shop_1|namespace 'Shop_1' is not a namespace name (lower-case letters, digits and '-',"
                    + " at most 63)",
            "/api/v1/interfaces?namespace=shop|namespace does not apply to this list: its rows are of no namespace",
            "/api/v1/namespaces?selector=app|selector does not apply to this list: its rows have no labels",
            "/api/v1/pods?continue=abc|continue is not a token this agent gave: pass the 'continue' of the page before,"
                    + " as it was"})
    void aBadParameterIsA400ThatSaysWhatIsWrong(String path, String error) {
        Response r = io.restassured.RestAssured.given().urlEncodingEnabled(false).get(path); // sent as written
        assertEquals(400, r.statusCode(), r::asString);
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertEquals(Map.of("error", error), new JsonPath(r.asString()).getMap("$"));
    }

    @Test
    void theHistoryOfAnAgentThatRecordsNoneIsA404ThatSaysSo() {
        Response r = get("/api/v1/history");
        assertEquals(404, r.statusCode(), r::asString);
        assertEquals(Map.of("error", "this agent records no history (podhogs.history.enabled=false)"),
                new JsonPath(r.asString()).getMap("$"));
    }

    @Test
    void theOpenApiDocumentDescribesThePagesAsTheyAreWritten() {
        String doc = get("/q/openapi").then().statusCode(200).extract().asString();
        for (String part : List.of("    PodPage:", "    ConnectionPage:", "        continue:", "        remaining:",
                "        omitted:", "        workload_kind:", "        remote_class:", "        \"429\":",
                "        \"410\":", "        name: limit")) {
            assertTrue(doc.contains(part + "\n"), () -> part + " in\n" + doc);
        }
        assertFalse(doc.contains("workloadKind"), "snake_case, as Jackson writes the rows");
    }

    @Test
    void anUnknownContinueTokenIsA410() {
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("v1:pods:1:5".getBytes());
        Response r = get("/api/v1/pods?continue=" + forged);
        assertEquals(410, r.statusCode(), r::asString);
        assertTrue(new JsonPath(r.asString()).getString("error").startsWith("continue token expired"), r::asString);
    }

    @Test
    void oneRequestTooManyIsA429WithRetryAfter() throws Exception {
        agent.start();
        ApiGate gate = io.quarkus.arc.ClientProxy.unwrap(agent).gate();
        List<ApiGate.Pass> held = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            held.add(gate.enter()); // AT_ONCE requests at work
        }
        long before = gate.refused();
        Response r = get("/api/v1/pods");
        assertEquals(429, r.statusCode(), r::asString);
        assertEquals("1", r.header("Retry-After"));
        assertEquals("too many requests at once (this agent answers 2 at a time): retry after 1 s",
                new JsonPath(r.asString()).getString("error"));
        assertEquals(before + 1, gate.refused(), "counted");
        assertEquals((double) gate.refused(), new Scrape(get(Management.url("/metrics")).asString())
                .value("podhogs_api_requests_refused_total", Map.of()).orElseThrow(), "and exported");
        held.remove(0).close();
        assertEquals(200, get("/api/v1/pods").statusCode(), "one done: the next one is let in");
        held.forEach(ApiGate.Pass::close);
    }

    @Test
    void pagesGoThroughRealProcessesWhoseCommandLinesHideTheirSecrets() throws Exception {
        agent.start();
        Host h = net.createHost();
        net.bringUp(h);
        net.start(h.ns(), "udp-sink", h.peerV4(), "5801").expect("ready");
        List<Long> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // Each sender's command line carries a password and a token, as a client's might.
            Endpoint s = net.startWithOptions(null, List.of("-X", "db-password=s3cr3t-" + i, "-X", "token=t0k-" + i),
                    "udp-send", h.peerV4(), "5801", "--count", "100000", "--size", "100", "--pace", "0.01");
            s.expect("ready");
            senders.add(s.pid());
        }
        JsonPath all = Await.until(Duration.ofSeconds(20), Duration.ofMillis(100),
                () -> new JsonPath(get("/api/v1/processes?limit=5000").asString()),
                list -> list.getList("items.pid", Long.class).containsAll(senders),
                (JsonPath list) -> "the senders " + senders + " listed: " + list.prettify());
        for (Map<String, Object> row : all.<Map<String, Object>>getList("items")) {
            if (senders.contains(((Number) row.get("pid")).longValue())) {
                String command = (String) row.get("command");
                assertTrue(command.contains("-X db-password=<redacted> -X token=<redacted>"), command);
            }
        }
        assertFalse(all.prettify().contains("s3cr3t") || all.prettify().contains("t0k-"), all::prettify);

        // One row a page, a refresh (200 ms) between pages: every row of the first page's list once.
        JsonPath first = new JsonPath(get("/api/v1/processes?limit=1&sort=sent").asString());
        long listed = 1 + first.getLong("remaining");
        List<Long> pids = new ArrayList<>(first.getList("items.pid", Long.class));
        String token = first.getString("continue");
        while (token != null) {
            Thread.sleep(250);
            JsonPath page = new JsonPath(get("/api/v1/processes?limit=1&continue=" + token).asString());
            assertEquals(1, page.getList("items").size(), page::prettify);
            pids.addAll(page.getList("items.pid", Long.class));
            token = page.getString("continue");
        }
        assertEquals(listed, pids.size(), () -> "as many rows as the first page said: " + pids);
        Set<Long> distinct = new HashSet<>(pids);
        assertEquals(pids.size(), distinct.size(), () -> "no row twice: " + pids);
        assertTrue(distinct.containsAll(senders), () -> "the senders among them: " + pids);
        assertEquals(0, io.quarkus.arc.ClientProxy.unwrap(agent).pager().cursors(), "the last page let the list go");
    }
}
