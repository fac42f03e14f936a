package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.podhogs.accounting.Traffic;
import io.podhogs.testing.ApiObjects;
import io.podhogs.testing.ApiObjects.Container;
import io.podhogs.testing.Await;
import io.podhogs.testing.Cgroups;
import io.podhogs.testing.Counters;
import io.podhogs.testing.MockApi;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Bridge;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent as Prometheus sees it: pods made of real processes in kubelet-shaped cgroups and real
 * namespaces, named by fabric8's mock API server, scraped at /metrics; the bytes of each series
 * checked against the kernel's veth counters and the datagrams sent.
 */
@QuarkusTest
@TestProfile(AgentMetricsTest.Node.class)
class AgentMetricsTest {
    static final String NODE = "podhogs-agent-node";
    /** 1000 bytes of UDP payload, 8 of UDP header, 20 of IP, 14 of Ethernet. */
    private static final int DATAGRAMS = 400;
    private static final long SENT = DATAGRAMS * 1042L;

    public static final class Node implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(Map.of("podhogs.kubernetes.node-name", NODE,
                    "podhogs.metrics.pod-labels", "app,tier", "podhogs.metrics.refresh", "200ms"));
            if (!System.getProperty("podhogs.record", "false").equals("false")) {
                // -Dpodhogs.record=true reaches Quarkus's config too, where podhogs.* is checked for
                // unknown names: this run's own switch is not one of the agent's settings.
                config.put("smallrye.config.mapping.validate-unknown", "false");
            }
            return config;
        }
    }

    @Inject
    Agent agent;

    private final TestNet net = new TestNet();
    private final Cgroups cgroups = new Cgroups();
    private final MockApi api = MockApi.start();
    private Path kubeconfig;

    @AfterEach
    void tearDown() throws Exception {
        agent.close();
        System.clearProperty("kubeconfig");
        net.close();
        cgroups.close();
        api.close();
        if (kubeconfig != null) {
            Files.deleteIfExists(kubeconfig);
        }
    }

    private Scrape scrape() {
        return new Scrape(get(Management.url("/metrics")).then().statusCode(200).extract().asString());
    }

    private Scrape await(String what, java.util.function.Predicate<Scrape> condition, Supplier<String> detail) {
        return Await.until(Duration.ofSeconds(20), Duration.ofMillis(100), this::scrape, condition,
                (Scrape s) -> what + ": " + detail.get() + "\n" + s.text().lines()
                        .filter(l -> l.startsWith("podhogs_pod") || l.startsWith("podhogs_namespace")).toList());
    }

    /**
     * With -Dpodhogs.record=true: every list of the JSON API, as this real agent answers it while
     * its pods' traffic is fresh (their 2 s rates not yet 0), written to src/test/resources/agent-api/
     * for kubectl podhogs's tests (io.podhogs.plugin), so that they read what an agent really sends
     * rather than JSON written by hand. Off by default: a normal run must not rewrite them.
     */
    private static void recordApi() throws java.io.IOException {
        // true: every list; a list's name (-Dpodhogs.record=apps): that one, the others' recordings
        // (and the plugin's golden outputs made from them) left as they are.
        String record = System.getProperty("podhogs.record", "false");
        if (record.equals("false")) {
            return;
        }
        Path dir = Path.of("src/test/resources/agent-api");
        Files.createDirectories(dir);
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String list : List.of("pods", "containers", "processes", "namespaces", "workloads", "apps", "connections",
                "interfaces")) {
            if (!record.equals("true") && !record.equals(list)) {
                continue;
            }
            // The rows of every page, as one array: the plugin's tests page them again as an agent would.
            com.fasterxml.jackson.databind.node.ArrayNode rows = mapper.createArrayNode();
            String token = null;
            do {
                String json = (token == null ? given() : given().queryParam("continue", token)).get("/api/v1/" + list)
                        .then().statusCode(200).extract().asString();
                com.fasterxml.jackson.databind.JsonNode page = mapper.readTree(json);
                rows.addAll((com.fasterxml.jackson.databind.node.ArrayNode) page.get("items"));
                token = page.hasNonNull("continue") ? page.get("continue").asText() : null;
            } while (token != null);
            Files.writeString(dir.resolve(list + ".json"), mapper.writeValueAsString(rows) + "\n");
        }
    }

    @Test
    void podSeriesCarryTheExactBytesWithTheirLabels() throws Exception {
        // The bridge first, for its subnet; the pods' links only once the agent captures, so that
        // their veths' counters count from before their first frame.
        Bridge bridge = net.createBridge();
        String webIp = "10.232." + bridge.subnet() + ".11";
        String dbIp = "10.232." + bridge.subnet() + ".12";
        String webUid = UUID.randomUUID().toString();
        String dbUid = UUID.randomUUID().toString();
        String webId = Cgroups.containerId();
        String dbId = Cgroups.containerId();
        Pod webPod = ApiObjects.pod(webUid, "shop", "web-6b7c8-x1y2z", NODE,
                Map.of("app", "web", "tier", "front", "pod-template-hash", "6b7c8"), "ReplicaSet", "web-6b7c8",
                List.of(webIp), List.of(new Container("app", "containerd://" + webId)));
        Pod dbPod = ApiObjects.pod(dbUid, "shop", "db-0", NODE, Map.of("app", "db"), "StatefulSet", "db",
                List.of(dbIp), List.of(new Container("postgres", "containerd://" + dbId)));
        api.nodePods(NODE, List.of(webPod, dbPod));
        api.client().nodes().resource(ApiObjects.node(NODE, bridge.v4(), "10.232." + bridge.subnet() + ".0/24")).create();
        kubeconfig = api.kubeconfig();
        System.setProperty("kubeconfig", kubeconfig.toString());
        agent.start();
        Host web = net.createPod(bridge, 1);
        Host db = net.createPod(bridge, 2);
        assertEquals(webIp, web.peerV4());
        assertEquals(dbIp, db.peerV4());

        net.startIn(cgroups.kubeletContainer(dbUid, dbId), db.ns(), "udp-sink", db.peerV4(), "5501").expect("ready");
        Endpoint sender = net.startIn(cgroups.kubeletContainer(webUid, webId), web.ns(), "udp-send", db.peerV4(), "5501",
                "--connected", "--count", "" + DATAGRAMS, "--size", "1000", "--pace", "0.001");
        sender.expect("ready");
        sender.expect("done");

        Map<String, String> webPodLabels = Map.of("namespace", "shop", "pod", "web-6b7c8-x1y2z", "node", NODE);
        Scrape s = await("the web pod's bytes as its veth counted them", x -> x.value(
                "podhogs_pod_network_transmit_bytes_total", webPodLabels).orElse(-1.0)
                        == Counters.farSide(web.hostIf()).sentBytes()
                        && x.value("podhogs_pod_network_receive_bytes_total", webPodLabels).orElse(-1.0)
                        == Counters.farSide(web.hostIf()).receivedBytes(),
                () -> "veth " + Counters.farSide(web.hostIf()));
        recordApi();
        // Every owner here was found by its socket: nothing inferred. The sender's and the sink's
        // flows were timed from their first packets, and the histogram's last bucket holds them all.
        assertEquals(0.0, s.value("podhogs_attributed_bytes_total", Map.of("how", "inferred", "direction", "transmit"))
                .orElseThrow());
        assertTrue(s.value("podhogs_attributed_bytes_total", Map.of("how", "exact", "direction", "transmit"))
                .orElseThrow() >= SENT, "the sender's datagrams at least, found by its socket");
        double timed = s.value("podhogs_attribution_latency_seconds_count", Map.of("node", NODE)).orElseThrow();
        assertEquals(timed, s.value("podhogs_attribution_latency_seconds_bucket", Map.of("le", "+Inf")).orElseThrow());
        assertTrue(timed >= 2, "the sender's flow and the sink's, at least: " + timed);
        Traffic webVeth = Counters.farSide(web.hostIf());
        assertEquals((double) webVeth.sentPackets(), s.value("podhogs_pod_network_transmit_packets_total", webPodLabels)
                .orElseThrow());
        assertEquals(Map.of("namespace", "shop", "pod", "web-6b7c8-x1y2z", "node", NODE, "workload_kind", "Deployment",
                "workload", "web", "label_app", "web", "label_tier", "front"),
                s.labels("podhogs_pod_network_transmit_bytes_total", webPodLabels), "the allowlisted labels only");
        assertEquals((double) SENT, s.value("podhogs_pod_remote_network_transmit_bytes_total",
                Map.of("pod", "web-6b7c8-x1y2z", "remote_class", "same_node_pod")).orElseThrow(), "every datagram, to a pod of this node");
        assertEquals((double) SENT, s.value("podhogs_pod_remote_network_receive_bytes_total",
                Map.of("pod", "db-0", "remote_class", "same_node_pod")).orElseThrow());
        assertEquals(s.value("podhogs_pod_network_transmit_bytes_total", webPodLabels).orElseThrow(),
                s.value("podhogs_container_network_transmit_bytes_total", Map.of("pod", "web-6b7c8-x1y2z", "container", "app"))
                        .orElseThrow(), "one container: the pod's bytes");
        double shop = s.value("podhogs_namespace_network_receive_bytes_total", Map.of("namespace", "shop")).orElseThrow();
        assertEquals(Counters.farSide(web.hostIf()).receivedBytes() + Counters.farSide(db.hostIf()).receivedBytes(),
                shop, 0.0, "the namespace is its two pods");
        assertEquals(s.value("podhogs_pod_network_transmit_bytes_total", webPodLabels).orElseThrow(),
                s.value("podhogs_workload_network_transmit_bytes_total", Map.of("workload_kind", "Deployment",
                        "workload", "web")).orElseThrow());
        // Applications, automatic: a pod without app.kubernetes.io/name is its workload's, in its namespace.
        assertEquals(s.value("podhogs_workload_network_transmit_bytes_total", Map.of("workload", "web")).orElseThrow(),
                s.value("podhogs_app_network_transmit_bytes_total", Map.of("app", "shop/web")).orElseThrow(),
                "the web application is the web Deployment's pods");
        get(Management.url("/q/health/ready")).then().statusCode(200);
        get(Management.url("/q/health/live")).then().statusCode(200);

        // The JSON API: the same pod, found by label, with the same bytes.
        String pods = get("/api/v1/pods?namespace=shop&selector=app=web,tier!=back").then().statusCode(200)
                .extract().asString();
        io.restassured.path.json.JsonPath json = new io.restassured.path.json.JsonPath(pods);
        assertEquals(1, json.getList("items").size(), pods);
        assertEquals("web-6b7c8-x1y2z", json.getString("items[0].pod"));
        assertEquals("Deployment", json.getString("items[0].workload_kind"));
        assertEquals("web", json.getString("items[0].workload"));
        assertEquals(webVeth.sentBytes(), json.getLong("items[0].usage.sent_bytes"), pods);
        assertEquals(SENT, json.getLong("items[0].usage.remote_classes.same_node_pod.sent_bytes"), pods);
        assertEquals(java.util.Set.of("2s", "10s", "40s"), json.getMap("items[0].usage.rates").keySet(), pods);
        assertEquals(0, json.getInt("remaining"), pods);
        assertEquals(2, new io.restassured.path.json.JsonPath(get("/api/v1/pods?sort=bytes").asString()).getList("items").size());
        io.restassured.path.json.JsonPath most = new io.restassured.path.json.JsonPath(
                get("/api/v1/pods?sort=received-bytes&limit=1").asString());
        assertEquals("db-0", most.getString("items[0].pod"), "the pod that received the most, alone");
        assertEquals(1, most.getInt("remaining"), "and the other one left for the next page");
        io.restassured.path.json.JsonPath rest = new io.restassured.path.json.JsonPath(get("/api/v1/pods?limit=1&continue="
                + most.getString("continue")).asString());
        assertEquals("web-6b7c8-x1y2z", rest.getString("items[0].pod"), "the next page: the other pod");
        String processes = get("/api/v1/processes?namespace=shop&selector=app=db").asString();
        assertEquals(SENT, new io.restassured.path.json.JsonPath(processes).getLong("items[0].usage.received_bytes"),
                "db's sink process received every datagram: " + processes);
        String connections = get("/api/v1/connections?namespace=shop&selector=app=web").asString();
        io.restassured.path.json.JsonPath c = new io.restassured.path.json.JsonPath(connections);
        assertEquals(1, c.getList("items").size(), connections);
        assertEquals(0, c.getLong("omitted"), "two connections, far from the engine's bound: " + connections);
        assertEquals("udp", c.getString("items[0].protocol"));
        assertEquals(dbIp + ":5501", c.getString("items[0].remote"), connections);
        assertEquals("same_node_pod", c.getString("items[0].remote_class"));
        assertEquals("shop/db-0", c.getString("items[0].remote_name"));
        assertEquals(SENT, c.getLong("items[0].usage.sent_bytes"), "the connection's every datagram: " + connections);
        get("/api/v1/pods?sort=loudest").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("sort is sent, received"));
        get("/api/v1/pods?selector=a%3D%3Db%3Dc,%25").then().statusCode(400);
        get("/q/openapi").then().statusCode(200).body(org.hamcrest.Matchers.containsString("/api/v1/pods"));

        // An interface's series go with it, as its kernel counters do; the pod's bytes stay.
        Map<String, String> webVethLabels = Map.of("interface", web.hostIf());
        assertEquals((double) Counters.of(web.hostIf()).sentBytes(), scrape().value(
                "podhogs_interface_network_transmit_bytes_total", webVethLabels).orElseThrow(), "the host side of web's veth");
        double podBefore = scrape().value("podhogs_pod_network_transmit_bytes_total", webPodLabels).orElseThrow();
        io.podhogs.testing.Shell.run("ip", "link", "del", web.hostIf());
        Scrape gone = await("web's veth series gone", x -> x.value("podhogs_interface_network_transmit_bytes_total",
                webVethLabels).isEmpty(), () -> "");
        double podAfter = gone.value("podhogs_pod_network_transmit_bytes_total", webPodLabels).orElseThrow();
        assertTrue(podAfter >= podBefore, () -> "the pod keeps its bytes: " + podBefore + " then " + podAfter);
    }
}
