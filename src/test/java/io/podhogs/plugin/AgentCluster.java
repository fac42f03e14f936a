package io.podhogs.plugin;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A cluster for kubectl podhogs: fabric8's mock API server (mixed mode, as io.podhogs.testing.MockApi
 * builds it) with agent pods listed at the exact URL kubectl podhogs asks, and each agent pod's
 * port-forward ({@link PortForwardStandIn}, the API server's websocket protocol) reaching a
 * {@link FakeAgent} on this machine that answers with what a real agent answered: the rows
 * AgentMetricsTest recorded (src/test/resources/agent-api/, -Dpodhogs.record=true), in its pages.
 */
final class AgentCluster implements AutoCloseable {
    /** The node the recording was made on (AgentMetricsTest.NODE): the first agent's, unchanged. */
    static final String NODE_A = "podhogs-agent-node";
    static final String NODE_B = "node-b";
    /** As kubectl podhogs lists them: by the chart's label, from the API server's cache (resourceVersion=0). */
    static final String AGENTS = "/api/v1/pods?labelSelector=app.kubernetes.io%2Fname%3Dpodhogs&resourceVersion=0";
    static final String NODES = "/api/v1/nodes?resourceVersion=0";
    static final int API_PORT = 9811;
    static final List<String> LISTS = List.of("pods", "containers", "processes", "connections", "namespaces",
            "workloads", "apps", "interfaces");

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final PortForwardStandIn portForwards = new PortForwardStandIn(new KubernetesMixedDispatcher(responses));
    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
            portForwards, false);
    private final List<Path> files = new ArrayList<>();
    private final Map<String, FakeAgent> agents = new java.util.concurrent.ConcurrentHashMap<>();
    /** The cluster's nodes and their labels: those of the agents listed, and those added without one. */
    private final Map<String, Map<String, String>> nodes = new java.util.concurrent.ConcurrentSkipListMap<>();

    AgentCluster() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        server.expect().get().withPath(NODES).andReply(200, request -> new io.fabric8.kubernetes.api.model.NodeListBuilder()
                .withNewMetadata().withResourceVersion("1").endMetadata()
                .withItems(nodes.entrySet().stream().map(n -> new io.fabric8.kubernetes.api.model.NodeBuilder()
                        .withNewMetadata().withName(n.getKey()).withLabels(n.getValue()).endMetadata().build()).toList())
                .build()).always();
    }

    /** A Linux node with no agent on it. */
    void nodeWithoutAgent(String name) {
        nodeWithoutAgent(name, Map.of("kubernetes.io/os", "linux"));
    }

    void nodeWithoutAgent(String name, Map<String, String> labels) {
        nodes.put(name, Map.copyOf(labels));
    }

    KubernetesMockServer server() {
        return server;
    }

    /** An agent pod as the chart makes it: labelled, on its node, its ports named http-metrics and api. */
    static Pod agentPod(String name, String node, String phase, boolean ready) {
        return new PodBuilder().withNewMetadata().withNamespace("podhogs").withName(name)
                .addToLabels("app.kubernetes.io/name", "podhogs").addToLabels("app.kubernetes.io/instance", "podhogs")
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("podhogs")
                .addNewPort().withName("http-metrics").withContainerPort(9810).withProtocol("TCP").endPort()
                .addNewPort().withName("api").withContainerPort(API_PORT).withProtocol("TCP").endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase(phase).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().endStatus().build();
    }

    /** The agents' pods, at the URL kubectl podhogs lists them (every namespace, by the chart's label). */
    void agents(Pod... pods) {
        for (Pod p : pods) {
            Map<String, String> labels = new HashMap<>(p.getSpec().getNodeSelector() == null ? Map.of()
                    : p.getSpec().getNodeSelector());
            labels.put("kubernetes.io/os", "linux");
            nodes.put(p.getSpec().getNodeName(), labels);
        }
        server.expect().get().withPath(AGENTS).andReturn(200, new PodListBuilder().withNewMetadata()
                .withResourceVersion("1").endMetadata().withItems(pods).build()).always();
    }

    /** The path of the port-forward to an agent pod's API, as fabric8 asks it of the API server. */
    static String portForward(String pod) {
        return "/api/v1/namespaces/podhogs/pods/" + pod + "/portforward?ports=" + API_PORT;
    }

    /** The path of an agent's list, its first page, as kubectl podhogs asks the agent. */
    static String firstPage(String list) {
        return "/api/v1/" + list + "?limit=" + FanOut.PAGE;
    }

    /** The recorded answer of a real agent to GET /api/v1/{list}: its rows. */
    static String recorded(String list) {
        try {
            return Files.readString(Path.of("src/test/resources/agent-api", list + ".json"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The agent behind {@code pod}'s port-forward, made on first use. */
    FakeAgent agent(String pod) {
        return agents.computeIfAbsent(pod, p -> {
            FakeAgent a = new FakeAgent();
            portForwards.route("podhogs", p, a.port());
            return a;
        });
    }

    /** A port-forward to {@code pod} reaches 127.0.0.1:{@code port} of this machine: a real agent's API there. */
    void forwardingTo(String pod, int port) {
        portForwards.route("podhogs", pod, port);
    }

    /** Every list of {@code pod} answers with the recording, its node's name made {@code node}. */
    void answering(String pod, String node) {
        for (String list : LISTS) {
            // A second node's answer is the same recording with its node's name changed here: one
            // real agent is all AgentMetricsTest runs, and the merge only needs a second node's rows.
            agent(pod).answering(list, recorded(list).replace("\"" + NODE_A + "\"", "\"" + node + "\""));
        }
    }

    /** {@code pod}'s {@code list} answers with {@code rows} (a recording changed by the test). */
    void answering(String pod, String list, String rows) {
        agent(pod).answering(list, rows);
    }

    /** Nothing listens on {@code pod}'s API port: the kubelet says so on the port-forward's error channel. */
    void unreachable(String pod) {
        portForwards.route("podhogs", pod, -1);
    }

    /** As {@link #unreachable(String)} for the first {@code times} port-forwards; then its agent answers. */
    void unreachable(String pod, int times) {
        portForwards.route("podhogs", pod, agent(pod).port(), times);
    }

    /** Every list of {@code pod} answers, but each page only after {@code millis}: a slow node. */
    void slow(String pod, String node, long millis) {
        for (String list : LISTS) {
            agent(pod).answering(list, recorded(list).replace("\"" + NODE_A + "\"", "\"" + node + "\""), 0, millis, 0);
        }
    }

    /** The user may not port-forward to {@code pod}: the API server refuses the upgrade. */
    void forbidden(String pod) {
        server.expect().get().withPath(portForward(pod)).andReturn(403, new StatusBuilder().withStatus("Failure")
                .withCode(403).withReason("Forbidden").withMessage("pods \"" + pod + "\" is forbidden: User"
                        + " \"jane\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace"
                        + " \"podhogs\"").build()).always();
    }

    /** A kubeconfig for this server, as kubectl reads one, its context's namespace {@code namespace}. */
    Path kubeconfig(String namespace) {
        return kubeconfig(server.getPort(), namespace);
    }

    Path kubeconfig(int port, String namespace) {
        try {
            Path file = Files.createTempFile("podhogs-plugin", ".kubeconfig");
            files.add(file);
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - {name: mock, cluster: {server: "http://localhost:%d"}}
                    contexts:
                    - {name: mock, context: {cluster: mock, user: jane, namespace: %s}}
                    - {name: other, context: {cluster: mock, user: jane, namespace: shop}}
                    current-context: mock
                    users:
                    - {name: jane, user: {token: test}}
                    """.formatted(port, namespace));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The paths the API server was asked so far ("GET /api/v1/..."), in order. */
    List<String> requests() {
        return io.podhogs.testing.MockApi.requests(server);
    }

    @Override
    public void close() {
        agents.values().forEach(FakeAgent::close);
        server.destroy();
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // a temporary file: the system's to clean
            }
        }
    }
}
