package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podhogs.agent.Agent;
import io.podhogs.testing.Await;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kubectl podhogs against a real agent: the port-forward stand-in relays to the API this test's
 * agent serves on 127.0.0.1 (Quarkus's answers, not a stand-in's), so that what the plugin reads
 * through a port-forward is what an agent writes: its pages, its keep-alive, its errors.
 */
@QuarkusTest
@TestProfile(KubectlPodhogsAgentTest.NoCluster.class)
class KubectlPodhogsAgentTest {
    public static final class NoCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.kubernetes.mode", "off", "podhogs.metrics.refresh", "200ms");
        }
    }

    /** 100 bytes of UDP payload, 8 of UDP header, 20 of IP, 14 of Ethernet, as the veth carries them. */
    private static final int DATAGRAMS = 200;
    private static final long SENT = DATAGRAMS * 142L;

    @Inject
    Agent agent;

    @TestHTTPResource("/api/v1/processes")
    URL api;

    private final TestNet net = new TestNet();
    private final AgentCluster cluster = new AgentCluster();
    private Path home;

    @AfterEach
    void tearDown() throws Exception {
        agent.close();
        net.close();
        cluster.close();
        if (home != null) {
            Files.deleteIfExists(home);
        }
    }

    @Test
    void theProcessesOfARealAgentThroughAPortForward() throws Exception {
        agent.start();
        Host h = net.createHost();
        net.bringUp(h);
        net.start(h.ns(), "udp-sink", h.peerV4(), "5901").expect("ready");
        Endpoint sender = net.startWithOptions(null, List.of("-X", "token=t0k-e2e"), "udp-send", h.peerV4(), "5901",
                "--count", "" + DATAGRAMS, "--size", "100", "--pace", "0.001", "--hold", "5");
        sender.expect("ready");
        sender.expect("done");
        cluster.agents(AgentCluster.agentPod(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A, "Running", true));
        cluster.forwardingTo(KubectlPodhogsTest.POD_A, api.getPort());
        home = Files.createTempDirectory("podhogs-plugin-home");

        Listing listing = Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> processes(sender.pid()),
                l -> l.row() != null && l.row().get("usage").get("sent_bytes").asLong() == SENT,
                l -> "the sender's row, through the port-forward, with " + SENT + " bytes sent: " + l.doc());
        JsonNode doc = listing.doc();
        JsonNode row = listing.row();
        assertEquals(AgentCluster.NODE_A, row.get("node").asText());
        assertTrue(row.get("command").asText().contains("-X token=<redacted>"), row::toString);
        assertFalse(doc.toString().contains("t0k-e2e"));
        assertEquals(DATAGRAMS, row.get("usage").get("sent_packets").asLong(), row::toString);
        assertEquals(List.of(AgentCluster.NODE_A), List.of(doc.get("answered").get(0).asText()));
    }

    /** What kubectl podhogs processes printed, and the row of {@code pid} in it (null when there is none). */
    private record Listing(JsonNode doc, JsonNode row) {
    }

    private Listing processes(long pid) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KubectlMain.run(new String[] {"processes", "-A", "-o", "json", "--timeout", "60s", "--kubeconfig",
                cluster.kubeconfig("default").toString()}, new PrintWriter(out, true), new PrintWriter(err, true),
                new Cluster.Environment(Map.of(), home), false);
        assertEquals(ExitCodes.OK, exit, () -> out + "\n" + err);
        JsonNode doc = new ObjectMapper().readTree(out.toString());
        JsonNode row = null;
        for (JsonNode item : doc.get("items")) {
            if (item.get("pid").asLong() == pid) {
                row = item;
            }
        }
        return new Listing(doc, row);
    }
}
