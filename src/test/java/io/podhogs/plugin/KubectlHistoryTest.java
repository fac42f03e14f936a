package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podhogs.agent.Agent;
import io.podhogs.testing.Await;
import io.podhogs.testing.Loopback;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kubectl podhogs history against a real recording agent, reached through two agent pods on two
 * nodes (the port-forward stand-in relays both to this test's agent): each key's row is the sum of
 * the two nodes' answers, which are this agent's own rows; --node asks one.
 */
@QuarkusTest
@TestProfile(KubectlHistoryTest.Recording.class)
class KubectlHistoryTest {
    static final Path FILE = Loopback.historyFile("podhogs-kubectl-history");

    public static final class Recording implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.interfaces", "lo", "podhogs.history.enabled", "true",
                    "podhogs.history.file", FILE.toString(), "podhogs.history.flush-interval", "1s");
        }
    }

    @Inject
    Agent agent;

    @TestHTTPResource("/api/v1/history")
    URL api;

    private final AgentCluster cluster = new AgentCluster();
    private Path home;

    @AfterEach
    void tearDown() throws Exception {
        agent.close();
        cluster.close();
        if (home != null) {
            Files.deleteIfExists(home);
        }
    }

    @Test
    void eachKeyIsTheSumOfTheNodesAnswers() throws Exception {
        agent.start();
        Loopback.send(1_000_000);
        cluster.agents(AgentCluster.agentPod(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.forwardingTo(KubectlPodhogsTest.POD_A, api.getPort());
        cluster.forwardingTo(KubectlPodhogsTest.POD_B, api.getPort());
        home = Files.createTempDirectory("podhogs-plugin-home");
        // The file is written on: ask until one node's answer (--node) and both nodes' agree on one flush.
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(300), () -> {
            Map<String, long[]> one = sums(run("--by", "program", "--node", AgentCluster.NODE_A));
            Map<String, long[]> both = sums(run("--by", "program"));
            Map<String, long[]> again = sums(run("--by", "program", "--node", AgentCluster.NODE_A));
            if (!same(one, again) || one.values().stream().noneMatch(v -> v[0] >= 1_000_000)) {
                return false;
            }
            return one.keySet().equals(both.keySet()) && one.entrySet().stream().allMatch(e ->
                    both.get(e.getKey())[0] == 2 * e.getValue()[0] && both.get(e.getKey())[1] == 2 * e.getValue()[1]);
        }, ok -> ok, ok -> "both nodes' rows to be twice one node's");
        JsonNode doc = new ObjectMapper().readTree(run("--by", "program", "--years"));
        assertEquals(java.util.Set.of(AgentCluster.NODE_A, AgentCluster.NODE_B),
                java.util.Set.of(doc.get("answered").get(0).asText(), doc.get("answered").get(1).asText()));
        assertEquals(2, doc.get("items").get(0).get("nodes").size(), doc::toString);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KubectlMain.run(new String[] {"history", "--by", "namespace", "--timeout", "60s", "--kubeconfig",
                cluster.kubeconfig("default").toString()}, new PrintWriter(out, true), new PrintWriter(err, true),
                new Cluster.Environment(Map.of(), home), false);
        assertEquals(ExitCodes.OK, exit, () -> out + "\n" + err);
        assertTrue(out.toString().startsWith("DAY ") && out.toString().contains("\nTOTAL "), out::toString);
        assertTrue(out.toString().contains("(no namespace)"), out::toString);
    }

    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 9];
        all[0] = "history";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(new String[] {"-o", "json", "--top", "1000", "--timeout", "60s", "--kubeconfig",
                cluster.kubeconfig("default").toString()}, 0, all, args.length + 1, 8);
        int exit = KubectlMain.run(all, new PrintWriter(out, true), new PrintWriter(err, true),
                new Cluster.Environment(Map.of(), home), false);
        assertEquals(ExitCodes.OK, exit, () -> out + "\n" + err);
        return out.toString();
    }

    /** Per period and program: sent and received bytes. */
    private static Map<String, long[]> sums(String json) throws IOException {
        Map<String, long[]> sums = new HashMap<>();
        for (JsonNode row : new ObjectMapper().readTree(json).get("items")) {
            sums.put(row.get("start").asText() + " " + row.get("program").asText() + " " + row.get("user").asText(),
                    new long[] {row.get("sent_bytes").asLong(), row.get("received_bytes").asLong()});
        }
        return sums;
    }

    private static boolean same(Map<String, long[]> a, Map<String, long[]> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e ->
                java.util.Arrays.equals(e.getValue(), b.get(e.getKey())));
    }
}
