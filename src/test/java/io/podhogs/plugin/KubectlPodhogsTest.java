package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * through the pod proxy; one answers with a real agent's recorded JSON, the other (unless a test says
 * otherwise) fails as the API server's proxy fails when it cannot reach the agent (503).
 */
class KubectlPodhogsTest {
    static final String POD_A = "podhogs-7xk2p";
    static final String POD_B = "podhogs-9qz4w";
    private static final String B_DOWN = "warning: node node-b did not answer: HTTP 503: error trying to reach service:"
            + " dial tcp 10.0.0.2:9810: connect: connection refused (agent podhogs/" + POD_B + ")\n";

    private AgentCluster cluster;
    private Path home;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
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

    /** kubectl podhogs ARGS with the mock's kubeconfig (its context's namespace "default"). */
    private Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--kubeconfig", cluster.kubeconfig("default").toString()));
        all.addAll(List.of(args));
        return runBare(Map.of(), all.toArray(String[]::new));
    }

    /** kubectl podhogs ARGS as typed, in an environment of {@code variables} and an empty home. */
    private Result runBare(Map<String, String> variables, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true),
                new Cluster.Environment(variables, home), false);
        return new Result(exit, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0} -o {1}")
    @CsvSource({"pods,table", "pods,wide", "pods,json", "pods,yaml",
            "containers,table", "containers,wide", "containers,json", "containers,yaml",
            "processes,table", "processes,wide", "processes,json", "processes,yaml",
            "connections,table", "connections,wide", "connections,json", "connections,yaml",
            "namespaces,table", "namespaces,wide", "namespaces,json", "namespaces,yaml",
            "workloads,table", "workloads,wide", "workloads,json", "workloads,yaml"})
    void everyViewAndFormatWithOneNodeDown(String view, String format) throws Exception {
        oneNodeDown();
        Result r = format.equals("table") ? run(view, "-A") : run(view, "-A", "-o", format);
        assertEquals(ExitCodes.PARTIAL, r.exit(), r::toString);
        assertEquals(B_DOWN, r.err(), "one line for the node that did not answer, on stderr");
        Golden.assertGolden("partial-" + view + "-" + format + ".txt", r.out());
        // The agents listed at the exact URL, each asked once through its pod proxy.
        assertEquals(List.of("GET " + AgentCluster.AGENTS, "GET " + AgentCluster.NODES,
                "GET " + AgentCluster.proxy(POD_A, view), "GET " + AgentCluster.proxy(POD_B, view)),
                sortedProxyCalls(cluster.requests()));
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
            JsonNode doc = new ObjectMapper().readTree(run(view, "-A", "-o", "json").out());
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

    @Test
    void bothNodesAnsweringSumNamespacesAndWorkloadsAndExitZero() throws Exception {
        bothNodesUp();
        for (String view : List.of("pods", "namespaces", "workloads")) {
            Result r = run(view, "-A", "-o", "wide");
            assertEquals(ExitCodes.OK, r.exit(), r::toString);
            assertEquals("", r.err());
            Golden.assertGolden("both-" + view + "-wide.txt", r.out());
        }
        JsonNode doc = new ObjectMapper().readTree(run("namespaces", "-o", "json").out());
        long recorded = new ObjectMapper().readTree(AgentCluster.recorded("namespaces")).get(0).get("usage")
                .get("sent_bytes").asLong();
        assertEquals(1, doc.get("items").size(), "one shop, from two nodes");
        assertEquals(2 * recorded, doc.get("items").get(0).get("usage").get("sent_bytes").asLong());
        assertEquals("[\"node-b\",\"podhogs-agent-node\"]", doc.get("items").get(0).get("nodes").toString());
    }

    @Test
    void unitsInSiBitsAndRaw() throws Exception {
        oneNodeDown();
        Golden.assertGolden("partial-pods-si-bits.txt", run("-A", "--units", "si", "--bits").out());
        Golden.assertGolden("partial-pods-raw.txt", run("-A", "--units", "raw", "--window", "40s").out());
        Golden.assertGolden("partial-pods-no-headers.txt", run("-A", "--no-headers").out());
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
        assertEquals(List.of("GET " + AgentCluster.AGENTS, "GET " + AgentCluster.proxy(POD_A, "pods")),
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
                "GET " + AgentCluster.proxy(POD_A, "pods")), cluster.requests());
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
                + "%2Fname%3Dpodhogs").andReturn(403, "{}").always();
        Result ns = run("-A", "--agent-namespace", "podhogs");
        assertEquals("error: forbidden: you may not list pods in namespace podhogs: kubectl podhogs needs list on"
                + " pods there to find its agents\n", ns.err());
    }

    @Test
    void forbiddenToProxySaysWhichVerbAndResource() {
        cluster.agents(AgentCluster.agentPod(POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.forbidden(POD_A);
        cluster.forbidden(POD_B);
        Result r = run("-A");
        assertEquals(ExitCodes.ERROR, r.exit(), r::toString);
        assertEquals("error: forbidden: you may not reach the podhogs agents: kubectl podhogs needs get on pods/proxy"
                + " in namespace podhogs\n", r.err(), "one line, not one per node");
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
                    + " workloads",
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
