package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kubectl podhogs against fabric8's mock API server: two nodes' agents, found by their label, asked
 * through port-forwards (the API server's websocket protocol, PortForwardStandIn); one answers with a
 * real agent's recorded rows in the agent's pages, the other (unless a test says otherwise) has nothing
 * listening on its port, which the kubelet says on the port-forward's error channel.
 */
class KubectlPodhogsTest {
    static final String POD_A = "podhogs-7xk2p";
    static final String POD_B = "podhogs-9qz4w";
    private static final String B_DOWN = "warning: node node-b did not answer: port-forward to the agent failed: error"
            + " forwarding port 9811 to pod, uid : failed to execute portforward in network namespace: failed to connect to"
            + " localhost:9811 inside namespace, IPv4: dial tcp4 127.0.0.1:9811: connect: connection refused (agent"
            + " podhogs/" + POD_B + ")\n";

    private AgentCluster cluster;
    private Path home;

    /** What kubectl podhogs did; {@code threads}: this JVM's threads 30 s into a run that took longer, else "". */
    record Result(int exit, String out, String err, String threads) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err + threads;
        }
    }

    @BeforeEach
    void cluster() throws Exception {
        cluster = new AgentCluster();
        home = Files.createTempDirectory("podhogs-plugin-home");
    }

    @AfterEach
    void close() throws Exception {
        cluster.close();
        Files.deleteIfExists(home);
    }

    /** Agent A answers with the recording; agent B's node cannot be reached. */
    private void oneNodeDown() {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.answering(POD_A, AgentCluster.NODE_A);
        cluster.unreachable(POD_B);
    }

    private void bothNodesUp() {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.answering(POD_A, AgentCluster.NODE_A);
        cluster.answering(POD_B, AgentCluster.NODE_B);
    }

    /**
     * kubectl podhogs ARGS with the mock's kubeconfig (its context's namespace "default") and, unless
     * ARGS set one, a 60 s timeout: the default 5 s is for a warm cluster, and the first port-forward of
     * a cold test JVM on a loaded CI machine took longer (an answering agent reported as not answering).
     */
    private Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--kubeconfig", cluster.kubeconfig("default").toString()));
        if (!List.of(args).contains("--timeout")) {
            all.addAll(List.of("--timeout", "60s"));
        }
        all.addAll(List.of(args));
        return runBare(Map.of(), all.toArray(String[]::new));
    }

    /** kubectl podhogs ARGS as typed, in an environment of {@code variables} and an empty home. */
    private Result runBare(Map<String, String> variables, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // A port-forward through the mock server that stalls (seen in full CI runs: the error channel
        // of a refused one never read): the threads as they stood 30 s into the run, for the failure message.
        java.util.concurrent.atomic.AtomicReference<String> dump = new java.util.concurrent.atomic.AtomicReference<>("");
        Thread watch = new Thread(() -> {
            try {
                Thread.sleep(30_000);
                dump.set(threadDump());
            } catch (InterruptedException e) {
                // done in time
            }
        }, "kubectl-podhogs-test-watch");
        watch.setDaemon(true);
        watch.start();
        int exit = KubectlMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true),
                new Cluster.Environment(variables, home), false);
        watch.interrupt();
        String threads = dump.get();
        return new Result(exit, out.toString(), err.toString(), threads);
    }

    private static String threadDump() {
        StringBuilder b = new StringBuilder("--- threads\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            b.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement e : stack) {
                b.append("    at ").append(e).append('\n');
            }
        });
        return b.toString();
    }

    @ParameterizedTest(name = "{0} -o {1}")
    @CsvSource({"pods,table", "pods,wide", "pods,json", "pods,yaml",
            "containers,table", "containers,wide", "containers,json", "containers,yaml",
            "processes,table", "processes,wide", "processes,json", "processes,yaml",
            "connections,table", "connections,wide", "connections,json", "connections,yaml",
            "namespaces,table", "namespaces,wide", "namespaces,json", "namespaces,yaml",
            "workloads,table", "workloads,wide", "workloads,json", "workloads,yaml",
            "interfaces,table", "interfaces,wide", "interfaces,json", "interfaces,yaml"})
    void everyViewAndFormatWithOneNodeDown(String view, String format) throws Exception {
        oneNodeDown();
        Result r = format.equals("table") ? run(view, "-A") : run(view, "-A", "-o", format);
        assertEquals(ExitCodes.PARTIAL, r.exit(), r::toString);
        assertEquals(B_DOWN, r.err(), () -> "one line for the node that did not answer, on stderr\n" + r);
        Golden.assertGolden("partial-" + view + "-" + format + ".txt", r.out());
        // The agents listed at the exact URL, each reached through a port-forward of its pod, asked once.
        assertEquals(List.of("GET " + AgentCluster.AGENTS, "GET " + AgentCluster.NODES,
                "GET " + AgentCluster.portForward(POD_A), "GET " + AgentCluster.portForward(POD_B)),
                sortedProxyCalls(cluster.requests()));
        assertEquals(List.of(AgentCluster.firstPage(view)), cluster.agent(POD_A).requests());
    }

    /** The agents, then the nodes, then the proxied calls in node order (they go out in parallel). */
    private static List<String> sortedProxyCalls(List<String> requests) {
        List<String> sorted = new ArrayList<>(requests.subList(0, 2));
        sorted.addAll(requests.subList(2, requests.size()).stream().sorted().toList());
        return sorted;
    }

    @Test
    void jsonPassesOnTheAgentsRowsWithTheirNode() throws Exception {
        oneNodeDown();
        for (String view : List.of("pods", "containers", "processes", "connections")) {
            Result answer = run(view, "-A", "-o", "json");
            assertEquals(ExitCodes.PARTIAL, answer.exit(), answer::toString);
            JsonNode doc = new ObjectMapper().readTree(answer.out());
            JsonNode recorded = new ObjectMapper().readTree(AgentCluster.recorded(view));
            assertEquals(recorded.size(), doc.get("items").size(), view);
            for (JsonNode item : doc.get("items")) {
                ObjectNode withoutNode = item.deepCopy();
                if (!view.equals("pods")) {
                    assertEquals(AgentCluster.NODE_A, withoutNode.remove("node").asText(), view);
                }
                boolean found = false;
                for (JsonNode r : recorded) {
                    found |= r.equals(withoutNode);
                }
                assertTrue(found, () -> "every field of the agent's row, unchanged: " + item);
            }
            assertEquals(List.of(AgentCluster.NODE_A), List.of(doc.get("answered").get(0).asText()));
            assertEquals(AgentCluster.NODE_B, doc.get("unanswered").get(0).get("node").asText());
        }
    }

    /** A history row as an agent answers it. */
    private static String historyRow(String pod, String workload, long sent, long received) {
        return "{\"start\":\"2026-12-05T00:00:00Z\",\"end\":\"2026-12-06T00:00:00Z\",\"namespace\":\"shop\",\"pod\":\""
                + pod + "\",\"workload\":\"" + workload + "\",\"sent_bytes\":" + sent + ",\"received_bytes\":" + received
                + ",\"sent_packets\":1,\"received_packets\":1,\"remote_classes\":{\"external\":{\"sent_bytes\":" + sent
                + ",\"received_bytes\":0}}}";
    }

    /**
     * The nodes' histories summed: a pod recreated under its name on the other node is one row, a
     * workload's pods on both nodes one row; a node that did not answer is named, exit status 3.
     */
    @Test
    void historySumsTheNodesRowsPerPodAndWorkload() throws Exception {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.answering(POD_A, "history", "[" + historyRow("db-0", "StatefulSet/db", 1000, 2000) + ","
                + historyRow("web-1", "Deployment/web", 10, 20) + "]");
        cluster.answering(POD_B, "history", "[" + historyRow("db-0", "StatefulSet/db", 500, 700) + ","
                + historyRow("web-2", "Deployment/web", 5, 7) + "]");
        Result pods = run("history", "-n", "shop", "--units", "raw");
        assertEquals(new Result(0, String.join("\n",
                "DAY          NAMESPACE   POD     WORKLOAD         RX     TX     TOTAL",
                "2026-12-05   shop        db-0    StatefulSet/db   2700   1500   4200",
                "             shop        web-1   Deployment/web   20     10     30",
                "             shop        web-2   Deployment/web   7      5      12",
                "TOTAL                                             2727   1515   4242") + "\n", "", ""), pods);
        assertTrue(cluster.agent(POD_A).requests().get(0).startsWith("/api/v1/history?by=pod&resolution=days&top=1000"),
                cluster.agent(POD_A).requests()::toString);
        Result workloads = run("history", "--by", "workload", "-n", "shop", "--units", "raw", "--no-headers");
        assertEquals("2026-12-05   shop   StatefulSet/db   2700   1500   4200\n"
                + "             shop   Deployment/web   27     15     42\n", workloads.out(), workloads::toString);
        Result other = run("history", "-n", "elsewhere");
        assertEquals(new Result(0, "", "No history recorded in elsewhere namespace.\n", ""), other);

        cluster.unreachable(POD_B);
        Result partial = run("history", "-A", "-o", "json");
        assertEquals(3, partial.exit(), partial::toString);
        assertTrue(partial.err().startsWith("warning: node node-b did not answer: "), partial::toString);
        JsonNode doc = new ObjectMapper().readTree(partial.out());
        assertEquals(2, doc.get("items").size(), partial::toString);
        assertEquals(1000, doc.get("items").get(0).get("remote_classes").get("external").get("sent_bytes").asLong());
        assertEquals("node-b", doc.get("unanswered").get(0).get("node").asText());
    }

    private static String appRow(String app, long sent, long received) {
        return "{\"start\":\"2026-12-05T00:00:00Z\",\"end\":\"2026-12-06T00:00:00Z\",\"app\":\"" + app
                + "\",\"sent_bytes\":" + sent + ",\"received_bytes\":" + received
                + ",\"sent_packets\":1,\"received_packets\":1,\"remote_classes\":{}}";
    }

    /** An application on both nodes is one row; applications are of no one namespace (-n refused). */
    @Test
    void historyByAppSumsTheNodesApplications() throws Exception {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.answering(POD_A, "history", "[" + appRow("shop/web", 100, 200) + "," + appRow("sshd", 1, 2) + "]");
        cluster.answering(POD_B, "history", "[" + appRow("shop/web", 50, 70) + "]");
        Result apps = run("history", "--by", "app", "--units", "raw");
        assertEquals(new Result(0, String.join("\n",
                "DAY          APP        RX    TX    TOTAL",
                "2026-12-05   shop/web   270   150   420",
                "             sshd       2     1     3",
                "TOTAL                   272   151   423") + "\n", "", ""), apps);
        assertTrue(cluster.agent(POD_A).requests().get(0).startsWith("/api/v1/history?by=app&resolution=days"),
                cluster.agent(POD_A).requests()::toString);
        Result namespaced = runBare(Map.of(), "history", "--by", "app", "-n", "shop");
        assertEquals(2, namespaced.exit(), namespaced::toString);
        assertTrue(namespaced.err().startsWith("error: -n: applications are of no one namespace"), namespaced::toString);
    }

    @Test
    void historyUsageErrorsPointAtItsOwnHelp() {
        Result r = runBare(Map.of(), "history", "--by", "user");
        assertEquals(new Result(2, "", "error: --by takes program, container, pod, workload, namespace or app, not \"user\"\n"
                + "See 'kubectl podhogs history --help' for usage.\n", ""), r);
    }

    @Test
    void bothNodesAnsweringSumNamespacesAndWorkloadsAndExitZero() throws Exception {
        bothNodesUp();
        for (String view : List.of("pods", "namespaces", "workloads", "apps")) {
            Result r = run(view, "-A", "-o", "wide");
            assertEquals(ExitCodes.OK, r.exit(), r::toString);
            assertEquals("", r.err());
            Golden.assertGolden("both-" + view + "-wide.txt", r.out());
        }
        Result json = run("namespaces", "-o", "json");
        assertEquals(ExitCodes.OK, json.exit(), json::toString);
        JsonNode doc = new ObjectMapper().readTree(json.out());
        long recorded = new ObjectMapper().readTree(AgentCluster.recorded("namespaces")).get(0).get("usage")
                .get("sent_bytes").asLong();
        assertEquals(1, doc.get("items").size(), "one shop, from two nodes");
        assertEquals(2 * recorded, doc.get("items").get(0).get("usage").get("sent_bytes").asLong());
        assertEquals("[\"node-b\",\"podhogs-agent-node\"]", doc.get("items").get(0).get("nodes").toString());
    }

    @Test
    void applicationsAreSummedAcrossNodesAndHaveNoNamespace() throws Exception {
        bothNodesUp();
        Result r = run("apps", "-o", "json");
        assertEquals(ExitCodes.OK, r.exit(), r::toString);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode recorded = new ObjectMapper().readTree(AgentCluster.recorded("apps"));
        assertEquals(recorded.size(), doc.get("items").size(), "one row an application, from two nodes");
        for (JsonNode app : doc.get("items")) {
            long one = 0;
            for (JsonNode row : recorded) {
                if (row.get("app").asText().equals(app.get("app").asText())) {
                    one = row.get("usage").get("sent_bytes").asLong();
                }
            }
            assertEquals(2 * one, app.get("usage").get("sent_bytes").asLong(), app::toString);
        }
        Result namespaced = run("apps", "-n", "shop");
        assertEquals(ExitCodes.USAGE, namespaced.exit(), namespaced::toString);
        assertTrue(namespaced.err().startsWith("error: -n: applications are of no one namespace"), namespaced::toString);
    }

    @Test
    void unitsInSiBitsAndRaw() throws Exception {
        oneNodeDown();
        Golden.assertGolden("partial-pods-si-bits.txt", run("-A", "--units", "si", "--bits").out());
        Golden.assertGolden("partial-pods-raw.txt", run("-A", "--units", "raw", "--window", "40s").out());
        Golden.assertGolden("partial-pods-no-headers.txt", run("-A", "--no-headers").out());
    }

    /**
     * The recorded pods, changed where a real recording cannot be: each window's rates different,
     * and bytes to the internet and to a Service (the recording's traffic was pod to pod).
     */
    private void podsWithEveryWindowAndClass() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var rows = (ArrayNode) json.readTree(AgentCluster.recorded("pods"));
        for (var row : rows) {
            var usage = (ObjectNode) row.get("usage");
            boolean db = row.get("pod").asText().equals("db-0");
            var rates = (ObjectNode) usage.get("rates");
            rates.putObject("10s").put("sent", db ? 3000 : 1000).put("received", db ? 4000 : 2000);
            var classes = (ObjectNode) usage.get("remote_classes");
            classes.putObject("external").put("sent_bytes", db ? 5000 : 70_000).put("received_bytes", db ? 6000 : 0)
                    .put("sent_packets", 5).put("received_packets", 6);
            classes.putObject("service").put("sent_bytes", 100).put("received_bytes", 200)
                    .put("sent_packets", 1).put("received_packets", 2);
        }
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true));
        cluster.answering(POD_A, "pods", json.writeValueAsString(rows));
    }

    @Test
    void theWindowAndTheRemoteClassesAreTheChosenOnes() throws Exception {
        podsWithEveryWindowAndClass();
        Result r = run("-A", "--window", "10s", "--units", "raw");
        assertEquals(ExitCodes.OK, r.exit(), r::toString);
        // db-0: 10s rates 3000/4000 (2s: 0/223985), same_node_pod 416800 received + service 300 in the
        // cluster, external 5000 + 6000; link_local (270) is neither. Totals as recorded. db-0 first:
        // 7000 B/s against web's 3000 over the chosen window.
        assertEquals(List.of("NAMESPACE   NAME              TX(10s)   RX(10s)   TX-TOTAL   RX-TOTAL   IN-CLUSTER   INTERNET",
                "shop        db-0              3000      4000      222        416932     417100       11000",
                "shop        web-6b7c8-x1y2z   1000      2000      417022     402        417100       70000",
                "TOTAL                         4000      6000      417244     417334     834200       81000"),
                r.out().lines().toList());
    }

    @Test
    void eachSortKeySortsByItsOwnNumber() throws Exception {
        podsWithEveryWindowAndClass();
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(run("-A", "--sort-by", "name"), 1));
        assertEquals(List.of("web-6b7c8-x1y2z", "db-0"), names(run("-A", "--sort-by", "internet"), 1), "70000 first");
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(run("-A", "--window", "10s", "--sort-by", "total"), 1),
                "7000 B/s over 3000");
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(run("-A", "--window", "10s", "--sort-by", "tx"), 1));
        assertEquals(List.of("web-6b7c8-x1y2z", "db-0"), names(run("-A", "--sort-by", "tx"), 1), "2s: web sends");
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(run("-A", "--sort-by", "rx-bytes"), 1));
        assertEquals(List.of("web-6b7c8-x1y2z", "db-0"), names(run("-A", "--sort-by", "tx-bytes"), 1));
        Result refused = run("connections", "-A", "--sort-by", "internet");
        assertEquals(ExitCodes.USAGE, refused.exit(), refused::toString);
    }

    @Test
    void aPodSelectorNeverSelectsWhatIsNoPods() throws Exception {
        // The recording's processes are pods'; a node's own process (kubelet, say) is added to it.
        ObjectMapper json = new ObjectMapper();
        var rows = (ArrayNode) json.readTree(AgentCluster.recorded("processes"));
        var kubelet = rows.get(0).deepCopy();
        ((ObjectNode) kubelet).put("pid", 1234).put("program", "/usr/bin/kubelet")
                .put("namespace", "").put("pod", "").put("container", "").putObject("labels");
        rows.add(kubelet);
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true));
        cluster.answering(POD_A, "processes", json.writeValueAsString(rows));
        assertTrue(run("processes", "-A").out().contains("kubelet"), "listed without a selector");
        Result r = run("processes", "-A", "-l", "tier!=db");
        assertEquals(2, names(r, 0).size(), r::toString);
        assertTrue(r.out().contains("db-0") && r.out().contains("web-6b7c8-x1y2z"), r::toString);
        assertFalse(r.out().contains("kubelet"), r::toString);
    }

    /** {@code count} processes made of the recording's first, each its own PID and 1000 bytes sent. */
    private static String manyProcesses(int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode model = (ObjectNode) json.readTree(AgentCluster.recorded("processes")).get(0);
        ArrayNode rows = json.createArrayNode();
        for (int i = 0; i < count; i++) {
            ObjectNode row = model.deepCopy();
            row.put("pid", 10_000 + i);
            ((ObjectNode) row.get("usage")).put("sent_bytes", 1000).put("received_bytes", 0);
            rows.add(row);
        }
        return json.writeValueAsString(rows);
    }

    @Test
    void everyPageOfAnAgentIsReadSoTotalsAreWhole() throws Exception {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true));
        cluster.answering(POD_A, "processes", manyProcesses(1200));
        JsonNode doc = new ObjectMapper().readTree(run("processes", "-A", "-o", "json").out());
        assertEquals(1200, doc.get("items").size(), "three pages of 500, 500 and 200 rows");
        assertEquals(1_200_000, doc.get("totals").get("sent_bytes").asLong());
        assertEquals(List.of(AgentCluster.firstPage("processes"), AgentCluster.firstPage("processes") + "&continue=p500",
                AgentCluster.firstPage("processes") + "&continue=p1000"), cluster.agent(POD_A).requests());
        assertEquals(1, cluster.requests().stream().filter(r -> r.equals("GET " + AgentCluster.portForward(POD_A))).count(),
                "one port-forward for every page");
    }

    @Test
    void aListWhosePagesExpiredIsReadAgainFromItsStart() throws Exception {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true));
        cluster.agent(POD_A).answering("processes", manyProcesses(700), 0, 0, 1);
        Result r = run("processes", "-A", "-o", "json");
        assertEquals(ExitCodes.OK, r.exit(), r::toString);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(700, doc.get("items").size(), "every row once, from the list read again");
        assertEquals(700_000, doc.get("totals").get("sent_bytes").asLong());
        String first = AgentCluster.firstPage("processes");
        assertEquals(List.of(first, first + "&continue=p500", first, first + "&continue=p500"),
                cluster.agent(POD_A).requests(), "410 on the second page: the list again, whole");
    }

    @Test
    void connectionsAnAgentLeftOutAreSaid() throws Exception {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true));
        cluster.agent(POD_A).answering("connections", AgentCluster.recorded("connections"), 1234, 0, 0);
        cluster.answering(POD_A, "pods", AgentCluster.recorded("pods"));
        Result r = run("connections", "-A", "-o", "json");
        assertEquals(ExitCodes.OK, r.exit(), r::toString);
        assertEquals("warning: node podhogs-agent-node listed the busiest connections only: 1234 more not listed\n",
                r.err());
        assertEquals(1234, new ObjectMapper().readTree(r.out()).get("omitted").get(AgentCluster.NODE_A).asLong());
        assertFalse(new ObjectMapper().readTree(run("pods", "-A", "-o", "json").out()).has("omitted"),
                "nothing left out: no such field");
    }

    @Test
    void aKubeconfigWithoutACurrentContextOrNotAKubeconfigIsOneLine() throws Exception {
        Path none = Files.writeString(home.resolve("none.kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: []
                contexts: []
                current-context: ""
                users: []
                """);
        Result r = run2("--kubeconfig", none.toString(), "-A");
        assertEquals(ExitCodes.ERROR, r.exit(), r::toString);
        assertEquals("error: no cluster: the kubeconfig has no current context (kubectl config use-context NAME, or"
                + " --context NAME)\n", r.err());
        Path garbage = Files.writeString(home.resolve("garbage.kubeconfig"), "this: is: not: yaml: [\n");
        Result g = run2("--kubeconfig", garbage.toString(), "-A");
        assertEquals(ExitCodes.ERROR, g.exit(), g::toString);
        assertTrue(g.err().startsWith("error: cannot read the kubeconfig: ") && g.err().lines().count() == 1, g::toString);
        Files.delete(none);
        Files.delete(garbage);
    }

    private Result run2(String... args) {
        return runBare(Map.of(), args);
    }

    private List<String> names(Result r, int column) {
        return r.out().lines().skip(1).filter(l -> !l.startsWith("TOTAL")).map(l -> l.split(" +")[column]).toList();
    }

    @Test
    void sortBy() {
        oneNodeDown();
        assertEquals(List.of("web-6b7c8-x1y2z", "db-0"), names(run("-A", "--sort-by", "tx"), 1));
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(run("-A", "--sort-by", "rx"), 1));
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(run("-A", "--sort-by", "name"), 1));
        assertEquals(List.of("web-6b7c8-x1y2z", "db-0"), names(run("-A", "--sort-by", "tx-bytes"), 1));
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(run("-A", "--sort-by", "rx-bytes"), 1));
        assertEquals(List.of("StatefulSet", "Deployment"), names(run("workloads", "-A", "--sort-by", "rx"), 1));
        Result bad = run("--sort-by", "cpu");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad::toString);
        assertTrue(bad.err().startsWith("error: unknown --sort-by \"cpu\""), bad::toString);
    }

    @Test
    void namespacesAndSelectorsFilterHere() throws Exception {
        oneNodeDown();
        Result web = run("-n", "shop", "-l", "app=web,tier!=back");
        assertEquals(ExitCodes.PARTIAL, web.exit(), web::toString);
        Golden.assertGolden("partial-pods-n-shop-l-app-web.txt", web.out());
        assertEquals(List.of("db-0"), names(run("-n", "shop", "-l", "!tier"), 0));
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(run("-n", "shop", "-l", "app in (web,db)"), 0));
        assertEquals(List.of("web-6b7c8-x1y2z"), names(run("processes", "-n", "shop", "-l", "tier"), 3));

        Result elsewhere = run();
        assertEquals("", elsewhere.out(), "the context's namespace, default, has no pods");
        assertEquals("No resources found in default namespace.\n" + B_DOWN, elsewhere.err());
        assertEquals(ExitCodes.PARTIAL, elsewhere.exit());
        Result context = run("--context", "other");
        assertEquals(List.of("db-0", "web-6b7c8-x1y2z"), names(context, 0), "the other context's namespace: shop");
        assertFalse(context.out().contains("NAMESPACE"), "no NAMESPACE column for one namespace, as kubectl");

        Result labelsOfNamespaces = run("namespaces", "-l", "app=web");
        assertEquals(ExitCodes.USAGE, labelsOfNamespaces.exit(), labelsOfNamespaces::toString);
        Result badSelector = run("-l", "app=(web");
        assertEquals(ExitCodes.USAGE, badSelector.exit(), badSelector::toString);
    }

    @Test
    void nodeAsksThatNodeOnly() {
        oneNodeDown();
        Result a = run("-A", "--node", AgentCluster.NODE_A);
        assertEquals(ExitCodes.OK, a.exit(), a::toString);
        assertEquals("", a.err());
        assertEquals(List.of("GET " + AgentCluster.AGENTS, "GET " + AgentCluster.portForward(POD_A)),
                cluster.requests(), "node-b's agent is not asked");

        Result b = run("-A", "--node", AgentCluster.NODE_B);
        assertEquals(ExitCodes.ERROR, b.exit(), b::toString);
        assertEquals(B_DOWN + "error: no podhogs agent answered (1 asked)\n", b.err());
        assertEquals("", b.out());

        Result none = run("--node", "node-z");
        assertEquals(ExitCodes.ERROR, none.exit());
        assertEquals("error: no podhogs agent on node node-z (agents run on: node-b, podhogs-agent-node)\n", none.err());
    }

    @Test
    void aSlowNodeCostsOneTimeoutAndIsNamed() {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.answering(POD_A, AgentCluster.NODE_A);
        cluster.slow(POD_B, AgentCluster.NODE_B, 5_000);
        // Once through node A alone first: the classes a port-forward loads (seconds on a busy machine
        // when this test runs first) are not what is measured here.
        assertEquals(ExitCodes.OK, run("-A", "--node", AgentCluster.NODE_A).exit());
        long start = System.nanoTime();
        Result r = run("-A", "--timeout", "700ms");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ExitCodes.PARTIAL, r.exit(), r::toString);
        assertEquals("warning: node node-b did not answer: no answer within 700ms (agent podhogs/" + POD_B + ")\n",
                r.err());
        assertEquals(2 + 2, r.out().lines().count(), () -> "the title, the answering node's two pods, TOTAL\n" + r);
        assertTrue(millis < 4_000, () -> "the timeout, not the slow node's 5 s: " + millis + " ms");
    }

    @Test
    void anAgentThatIsNotReadyIsNamedAndNotAsked() {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Pending", false),
                AgentCluster.agentPod("podhogs-c4n8m", "node-c", "Running", false));
        cluster.answering(POD_A, AgentCluster.NODE_A);
        Result r = run("-A");
        assertEquals(ExitCodes.PARTIAL, r.exit(), r::toString);
        assertEquals("warning: node node-b did not answer: agent pod podhogs/" + POD_B + " is Pending (agent podhogs/"
                + POD_B + ")\n"
                + "warning: node node-c did not answer: agent pod podhogs/podhogs-c4n8m is not ready (agent"
                + " podhogs/podhogs-c4n8m)\n", r.err());
        assertEquals(List.of("GET " + AgentCluster.AGENTS, "GET " + AgentCluster.NODES,
                "GET " + AgentCluster.portForward(POD_A)), cluster.requests());
    }

    @Test
    void aNodeWithoutAnAgentIsNamedAsANodeThatDidNotAnswer() {
        bothNodesUp();
        cluster.nodeWithoutAgent("node-c");
        Result r = run("-A");
        assertEquals(ExitCodes.PARTIAL, r.exit(), r::toString);
        assertEquals("warning: node node-c did not answer: no podhogs agent runs on it\n", r.err());
    }

    @Test
    void nodesTheAgentsAreNotMeantForAreNotMissing() {
        var a = AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true);
        var b = AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Running", true);
        a.getSpec().setNodeSelector(Map.of("pool", "apps"));
        b.getSpec().setNodeSelector(Map.of("pool", "apps"));
        cluster.agents(a, b);
        cluster.answering(POD_A, AgentCluster.NODE_A);
        cluster.answering(POD_B, AgentCluster.NODE_B);
        cluster.nodeWithoutAgent("gpu-1", Map.of("kubernetes.io/os", "linux", "pool", "gpu"));
        cluster.nodeWithoutAgent("win-1", Map.of("kubernetes.io/os", "windows", "pool", "apps"));
        Result r = run("-A");
        assertEquals(ExitCodes.OK, r.exit(), r::toString);
        assertEquals("", r.err());
        cluster.nodeWithoutAgent("apps-3", Map.of("kubernetes.io/os", "linux", "pool", "apps"));
        Result missing = run("-A");
        assertEquals(ExitCodes.PARTIAL, missing.exit(), missing::toString);
        assertEquals("warning: node apps-3 did not answer: no podhogs agent runs on it\n", missing.err());
    }

    @Test
    void noAgentsSaysHowToInstallThem() {
        cluster.agents();
        Result r = run("-A");
        assertEquals(ExitCodes.ERROR, r.exit(), r::toString);
        assertEquals("error: no podhogs agents found (no pods labelled app.kubernetes.io/name=podhogs in any"
                + " namespace); install them with: helm install podhogs ./helm/podhogs --namespace podhogs"
                + " --create-namespace\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void forbiddenToListPodsSaysWhichVerbAndResource() {
        cluster.server().expect().get().withPath(AgentCluster.AGENTS).andReturn(403, new io.fabric8.kubernetes.api.model
                .StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden").withMessage("pods is"
                        + " forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" at the cluster scope")
                .build()).always();
        Result r = run("-A");
        assertEquals(ExitCodes.ERROR, r.exit(), r::toString);
        assertEquals("error: forbidden: you may not list pods in all namespaces: kubectl podhogs needs list on pods"
                + " cluster-wide to find its agents, or --agent-namespace NS with list on pods in the agents'"
                + " namespace\n", r.err());

        cluster.server().expect().get().withPath("/api/v1/namespaces/podhogs/pods?labelSelector=app.kubernetes.io"
                + "%2Fname%3Dpodhogs&resourceVersion=0").andReturn(403, "{}").always();
        Result ns = run("-A", "--agent-namespace", "podhogs");
        assertEquals("error: forbidden: you may not list pods in namespace podhogs: kubectl podhogs needs list on"
                + " pods there to find its agents\n", ns.err());
    }

    @Test
    void forbiddenToPortForwardSaysWhichVerbAndResource() {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.forbidden(POD_A);
        cluster.forbidden(POD_B);
        Result r = run("-A");
        assertEquals(ExitCodes.ERROR, r.exit(), r::toString);
        assertEquals("error: forbidden: you may not reach the podhogs agents: kubectl podhogs needs get and create on"
                + " pods/portforward in namespace podhogs\n", r.err(), "one line, not one per node");
    }

    @Test
    void unreachableApiServerIsOneLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = runBare(Map.of(), "-A", "--kubeconfig", cluster.kubeconfig(port, "default").toString());
        assertEquals(ExitCodes.ERROR, r.exit(), r::toString);
        assertEquals("error: cannot reach the API server at http://localhost:" + port + "/: Connection refused\n",
                r.err());
    }

    @Test
    void noClusterIsOneLine() {
        Result r = runBare(Map.of(), "-A");
        assertEquals(ExitCodes.ERROR, r.exit(), r::toString);
        assertEquals("error: no cluster: no kubeconfig (set KUBECONFIG, create ~/.kube/config or pass --kubeconfig),"
                + " as kubectl needs\n", r.err());
        Result missing = runBare(Map.of("KUBECONFIG", home.resolve("absent").toString()), "-A");
        assertEquals(r, missing, "a KUBECONFIG that names no file is no cluster either");
        Result context = run("--context", "prod");
        assertEquals("error: context \"prod\" is not in the kubeconfig\n", context.err());
        assertEquals(ExitCodes.ERROR, context.exit());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-o table2|error: unknown output format \"table2\": use wide, json or yaml",
            "-n shop -A|error: -n and -A together: choose one",
            "sockets|error: unknown view \"sockets\": use one of pods, containers, processes, connections, namespaces,"
                    + " workloads, apps, interfaces",
            "interfaces -n shop|error: -n: a node's devices are of no namespace; choose nodes with --node",
            "interfaces -l app=web|error: -l selects pods: it applies to pods, containers, processes and connections,"
                    + " not to interfaces",
            "interfaces --sort-by internet|error: --sort-by internet needs bytes by remote class, which a device has not:"
                    + " sort interfaces by total, tx, rx, bytes or name",
            "--window 5s|error: unknown --window \"5s\": the agent keeps 2s, 10s and 40s",
            "--units metric|error: unknown --units \"metric\": use iec, si or raw",
            "--timeout soon|error: invalid duration \"soon\": use e.g. 500ms, 5s or 1m",
            "--bogus|error: Unknown option: '--bogus'"})
    void usageErrorsExitTwo(String args, String line) {
        Result r = runBare(Map.of(), args.split(" "));
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertEquals(line + "\nSee 'kubectl podhogs --help' for usage.\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void helpListsTheOptionsAndExitCodes() {
        Result r = runBare(Map.of(), "--help");
        assertEquals(0, r.exit());
        for (String option : List.of("--namespace", "--all-namespaces", "--selector", "--node", "--sort-by",
                "--no-headers", "--output", "--watch", "--window", "--units", "--bits", "--context", "--kubeconfig")) {
            assertTrue(r.out().contains(option), option + "\n" + r.out());
        }
        assertTrue(r.out().contains("3 some nodes did not"), r.out());
    }
}
