package io.podhogs.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.podhogs.testing.MockApi;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet.Host;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who reaches what, from where: the agent's management interface on every address of the host
 * (as hostNetwork puts it on the node's), its API on 127.0.0.1 only. Requests are made with curl
 * from a network namespace of the test's own behind a veth, to the host's address on that veth,
 * as a pod on the node would make them; tokens are checked by fabric8's mock API server answering
 * TokenReview and SubjectAccessReview, whose requests are counted.
 */
@QuarkusTest
@TestProfile(MetricsAccessTest.ShortCache.class)
class MetricsAccessTest extends AgentTrafficFixture {
    static final int TTL_SECONDS = 4;
    static final String PROMETHEUS = "prometheus-token";
    static final String JANE = "jane-token";
    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final class ShortCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.metrics.refresh", "200ms",
                    "podhogs.metrics.auth-cache-ttl", TTL_SECONDS + "s");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL management;

    @TestHTTPResource("/api/v1/pods")
    URL api;

    private final MockApi cluster = MockApi.start();
    private Path kubeconfig;

    @BeforeEach
    void reviews() {
        // The API server's answers: Prometheus's token is its service account, allowed get on /metrics
        // (as kube-prometheus-stack's ClusterRole allows it); jane's is a user without that right.
        cluster.server().expect().post().withPath(TOKEN_REVIEWS).andReply(200, request -> {
            TokenReview asked = read(request.getUtf8Body(), TokenReview.class);
            String token = asked.getSpec().getToken();
            TokenReviewBuilder answer = new TokenReviewBuilder(asked).withNewStatus().withAuthenticated(false).endStatus();
            if (token.equals(PROMETHEUS)) {
                answer.withNewStatus().withAuthenticated(true).withNewUser()
                        .withUsername("system:serviceaccount:monitoring:prometheus").withUid("u-1")
                        .withGroups("system:serviceaccounts", "system:authenticated").endUser().endStatus();
            } else if (token.equals(JANE)) {
                answer.withNewStatus().withAuthenticated(true).withNewUser().withUsername("jane")
                        .withGroups("system:authenticated").endUser().endStatus();
            }
            return answer.build();
        }).always();
        cluster.server().expect().post().withPath(ACCESS_REVIEWS).andReply(200, request -> {
            SubjectAccessReview asked = read(request.getUtf8Body(), SubjectAccessReview.class);
            var attributes = asked.getSpec().getNonResourceAttributes();
            boolean allowed = asked.getSpec().getUser().equals("system:serviceaccount:monitoring:prometheus")
                    && attributes != null && attributes.getPath().equals("/metrics") && attributes.getVerb().equals("get");
            return new SubjectAccessReviewBuilder(asked).withNewStatus().withAllowed(allowed).endStatus().build();
        }).always();
        kubeconfig = cluster.kubeconfig();
        System.setProperty("kubeconfig", kubeconfig.toString());
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void closeCluster() throws IOException {
        agent.close();
        System.clearProperty("kubeconfig");
        cluster.close();
        Files.deleteIfExists(kubeconfig);
    }

    /** What curl in {@code h}'s namespace got: the status (0: no connection) and the body. */
    record Got(int status, String body) {
    }

    /** @param headers "Name: value", or a curl option ("--path-as-is") */
    private static Got curlFrom(Host h, String url, String... headers) {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", h.ns(), "curl", "-s",
                "--max-time", "5", "-o", "-", "-w", "\n%{http_code}"));
        for (String header : headers) {
            command.addAll(header.startsWith("--") ? List.of(header) : List.of("-H", header));
        }
        command.add(url);
        String out = Shell.runQuietly(command.toArray(String[]::new));
        int cut = out.lastIndexOf('\n');
        return new Got(Integer.parseInt(out.substring(cut + 1).strip()), out.substring(0, cut));
    }

    private static List<String> sortedFields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    private int reviews(List<String> requests, String path) {
        return (int) requests.stream().filter(r -> r.equals("POST " + path)).count();
    }

    @Test
    void fromAnotherNetworkNamespaceOnlyHealthAndAllowedTokensGetAnswers() throws Exception {
        agent.start();
        Host pod = net.createHost();
        net.bringUp(pod);
        String node = "http://" + pod.hostV4() + ":" + management.getPort();

        // No token: 401 saying what is needed, nothing of the metrics.
        Got anonymous = curlFrom(pod, node + "/metrics");
        assertEquals(401, anonymous.status(), anonymous::body);
        assertFalse(anonymous.body().contains("podhogs_"), anonymous::body);
        assertTrue(JSON.readTree(anonymous.body()).get("error").asText().startsWith("/metrics needs a bearer token"),
                anonymous::body);

        // Health: the kubelet's probes, open, with the status and the checks' names only.
        Got live = curlFrom(pod, node + "/q/health/live");
        assertEquals(200, live.status(), live::body);
        // The checks in whatever order SmallRye Health lists them (it varies from run to run).
        JsonNode health = JSON.readTree(live.body());
        assertEquals(List.of("checks", "status"), sortedFields(health), live::body);
        assertEquals("UP", health.get("status").asText(), live::body);
        assertEquals(java.util.Set.of(JSON.readTree("{\"name\":\"engine\",\"status\":\"UP\"}"),
                        JSON.readTree("{\"name\":\"capture\",\"status\":\"UP\"}")),
                java.util.Set.copyOf(JSON.readerForListOf(JsonNode.class).readValue(health.get("checks"))), live::body);
        assertEquals(2, health.get("checks").size(), live::body);
        assertEquals(200, curlFrom(pod, node + "/q/health/ready").status());

        // Whatever else is asked of this port needs a token first (the paths a handler might answer
        // beside /metrics, spelt as a router might still match them); with one, the API is not here.
        for (String path : List.of("/metrics/", "//metrics", "/metrics/x", "/./metrics", "/q/../metrics", "/api/v1/pods",
                "/api/v1/processes", "/api/v1/connections", "/q/openapi", "/q/metrics", "/q/dev-ui", "/")) {
            Got g = curlFrom(pod, node + path, "--path-as-is");
            assertEquals(401, g.status(), () -> path + ": " + g.body());
            assertFalse(g.body().contains("podhogs_") || g.body().contains("\"items\""), g::body);
        }
        for (String path : List.of("/api/v1/pods", "/api/v1/processes", "/api/v1/connections", "/q/openapi")) {
            Got g = curlFrom(pod, node + path, "Authorization: Bearer " + PROMETHEUS);
            assertEquals(404, g.status(), () -> path + ": " + g.body());
            assertFalse(g.body().contains("\"items\"") || g.body().contains("openapi"), g::body);
        }
        Got refused = curlFrom(pod, "http://" + pod.hostV4() + ":" + api.getPort() + "/api/v1/pods");
        assertEquals(0, refused.status(), () -> "the API listens on 127.0.0.1 only: " + refused);
        assertEquals(200, io.restassured.RestAssured.get(api.toString()).statusCode(), "there, it answers");

        // Tokens: Prometheus's is let through, jane's is refused, a made-up one is not valid.
        Got scraped = curlFrom(pod, node + "/metrics", "Authorization: Bearer " + PROMETHEUS);
        assertEquals(200, scraped.status(), scraped::body);
        assertTrue(scraped.body().contains("podhogs_capture_running"), scraped::body);
        Got jane = curlFrom(pod, node + "/metrics", "Authorization: Bearer " + JANE);
        assertEquals(403, jane.status(), jane::body);
        assertEquals("forbidden: jane may not get /metrics (bind it to the chart's metrics-reader ClusterRole)",
                JSON.readTree(jane.body()).get("error").asText());
        Got forged = curlFrom(pod, node + "/metrics", "Authorization: Bearer made-up");
        assertEquals(401, forged.status(), forged::body);
        assertFalse(forged.body().contains("podhogs_"));
        JsonNode reason = JSON.readTree(forged.body());
        assertEquals("the bearer token is not valid (TokenReview)", reason.get("error").asText());
    }

    @Test
    void eachTokensAnswerIsKeptForItsTimeOneReviewEach() throws Exception {
        agent.start();
        Host pod = net.createHost();
        net.bringUp(pod);
        String metrics = "http://" + pod.hostV4() + ":" + management.getPort() + "/metrics";
        cluster.requests(); // nothing asked before
        for (int i = 0; i < 3; i++) {
            assertEquals(200, curlFrom(pod, metrics, "Authorization: Bearer " + PROMETHEUS).status());
            assertEquals(403, curlFrom(pod, metrics, "Authorization: Bearer " + JANE).status());
            assertEquals(401, curlFrom(pod, metrics, "Authorization: Bearer made-up").status());
        }
        List<String> asked = cluster.requests();
        assertEquals(3, reviews(asked, TOKEN_REVIEWS), () -> "one TokenReview a token: " + asked);
        assertEquals(2, reviews(asked, ACCESS_REVIEWS), () -> "one SubjectAccessReview a token that is someone's: " + asked);

        Thread.sleep(TTL_SECONDS * 1000L + 500);
        assertEquals(200, curlFrom(pod, metrics, "Authorization: Bearer " + PROMETHEUS).status());
        List<String> again = cluster.requests();
        assertEquals(List.of("POST " + TOKEN_REVIEWS, "POST " + ACCESS_REVIEWS), again, "after the TTL: asked again, once");
        TokenReviews kept = io.quarkus.arc.ClientProxy.unwrap(agent).tokenReviews();
        assertEquals(4, kept.reviews());
        assertEquals(0, kept.evictions());
        Scrape local = new Scrape(io.restassured.RestAssured.get(management.toString().replace("/q/metrics", "/metrics"))
                .asString());
        assertEquals(4.0, local.value("podhogs_metrics_auth_reviews_total", Map.of()).orElseThrow(), "exported");
        assertEquals(0.0, local.value("podhogs_metrics_auth_evictions_total", Map.of()).orElseThrow());
        // The names' bounds, exported beside them (nothing here fills them).
        for (String bound : List.of("podhogs_names_dns_dropped_total", "podhogs_names_evicted_total",
                "podhogs_names_reverse_overflow_total")) {
            assertEquals(0.0, local.value(bound, Map.of()).orElseThrow(), bound);
        }
        assertTrue(local.value("podhogs_names_dns_answers_total", Map.of()).isPresent());
    }

    @Test
    void fromThisHostsLoopbackMetricsNeedNoToken() throws Exception {
        agent.start();
        String body = io.restassured.RestAssured.get(management.toString().replace("/q/metrics", "/metrics"))
                .then().statusCode(200).extract().asString();
        assertTrue(body.contains("podhogs_capture_running"), body);
        assertEquals(List.of(), cluster.requests(), "no review for a process of the node");
    }

    @Test
    void withoutAnApiServerAnAllowedTokenWaitsAndNothingIsKept() throws Exception {
        agent.start();
        Host pod = net.createHost();
        net.bringUp(pod);
        cluster.stop();
        Got g = curlFrom(pod, "http://" + pod.hostV4() + ":" + management.getPort() + "/metrics",
                "Authorization: Bearer " + PROMETHEUS);
        assertEquals(503, g.status(), g::body);
        assertEquals("cannot check the token: the Kubernetes API did not answer",
                JSON.readTree(g.body()).get("error").asText());
        assertEquals(0, io.quarkus.arc.ClientProxy.unwrap(agent).tokenReviews().size(), "a failure is not an answer");
    }
}
