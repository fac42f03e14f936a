package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
import io.podhogs.testing.Await;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent's filter (podhogs.select.*) on real traffic: a host process sends datagrams into a
 * veth's namespace, where a sink receives them. Only the sender is selected: its row and its
 * connections are served with its exact bytes, the sink is not, and its bytes are in the 'filtered'
 * row and the podhogs_filtered_* series instead of disappearing. The applications (automatic) hold
 * the sender's bytes under its program's base name, in the API and the podhogs_app_* series.
 */
@QuarkusTest
@TestProfile(AgentSelectTest.SendersOnly.class)
class AgentSelectTest extends AgentTrafficFixture {
    private static final int DATAGRAMS = 300;

    public static final class SendersOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // udp-se[n]d: the sender's command line, and not the test JVM's, which holds this text
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.metrics.refresh", "200ms",
                    "podhogs.select.match", "udp-se[n]d,no-such-program", "podhogs.select.ignore", "udp-sin[k]");
        }
    }

    @Test
    void onlyTheSelectedProcessIsServedAndTheRestIsFiltered() throws Exception {
        agent.start();
        Udp udp = udpToANewHost("5811", DATAGRAMS, 30);
        Host h = udp.host();
        Endpoint sink = udp.sink();
        Endpoint sender = udp.sender();

        // The sender's row once it has every datagram: 1000 bytes of payload and 42 of headers each
        // (the veth also carried the kernel's own IPv6 frames, which are no process's).
        JsonPath processes = Await.until(Duration.ofSeconds(20), Duration.ofMillis(100),
                () -> new JsonPath(get("/api/v1/processes?limit=5000").asString()),
                list -> sentBy(list, sender.pid()) == DATAGRAMS * 1042L,
                (JsonPath list) -> "the sender's bytes, veth " + Counters.of(h.hostIf()) + ": " + list.prettify());
        Traffic veth = Counters.of(h.hostIf());
        assertTrue(veth.sentBytes() >= DATAGRAMS * 1042L, veth::toString);
        List<Long> pids = processes.getList("items.pid", Long.class);
        assertTrue(!pids.contains(sink.pid()), () -> "the sink is ignored: " + processes.prettify());
        assertTrue(pids.stream().filter(p -> p != 0 && p != sender.pid()).findAny().isEmpty(),
                () -> "only the sender and the filtered row: " + processes.prettify());
        long filteredReceived = processes.getLong("items.find { it.pid == 0 }.usage.received_bytes");
        assertTrue(filteredReceived >= DATAGRAMS * 1042L, () -> "the sink's bytes are filtered: " + processes.prettify());

        JsonPath connections = new JsonPath(get("/api/v1/connections?limit=5000").asString());
        assertEquals(List.of(sender.pid()), connections.getList("items.pid", Long.class).stream().distinct().toList(),
                () -> "the sender's connection only: " + connections.prettify());

        // Applications, automatic by default: the sender is its program's base name; the ignored sink
        // is in no application (its bytes are filtered).
        String program = processes.getString("items.find { it.pid == " + sender.pid() + " }.program");
        String app = program.substring(program.lastIndexOf('/') + 1);
        JsonPath apps = new JsonPath(get("/api/v1/apps").asString());
        assertEquals(List.of(app), apps.getList("items.app", String.class), apps::prettify);
        assertEquals(DATAGRAMS * 1042L, apps.getLong("items[0].usage.sent_bytes"), apps::prettify);

        String metrics = get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        assertEquals((double) DATAGRAMS * 1042L, new Scrape(metrics).value("podhogs_app_network_transmit_bytes_total",
                Map.of("app", app)).orElseThrow(() -> new AssertionError("no app series:\n" + metrics)));
        double filteredSeries = new Scrape(metrics).value("podhogs_filtered_network_receive_bytes_total", Map.of())
                .orElseThrow(() -> new AssertionError("no filtered series:\n" + metrics));
        assertTrue(filteredSeries >= DATAGRAMS * 1042L, () -> "the sink's bytes in the filtered series: " + filteredSeries);
    }

    private static long sentBy(JsonPath list, long pid) {
        List<Map<String, Object>> rows = list.getList("items");
        return rows.stream().filter(r -> ((Number) r.get("pid")).longValue() == pid)
                .mapToLong(r -> ((Number) ((Map<?, ?>) r.get("usage")).get("sent_bytes")).longValue()).findFirst().orElse(-1);
    }
}
