package io.podhogs.plugin;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds the agents: the pods the chart labels app.kubernetes.io/name=podhogs (helm/podhogs
 * _helpers.tpl, selectorLabels), in any namespace or in --agent-namespace, one per node.
 */
final class AgentDiscovery {
    static final String DEFAULT_SELECTOR = "app.kubernetes.io/name=podhogs";
    /** The chart's name for the agent's API port (127.0.0.1 of the node only: reached by port-forward). */
    static final String PORT_NAME = "api";
    static final int DEFAULT_PORT = 9811;
    static final String INSTALL = "helm install podhogs ./helm/podhogs --namespace podhogs --create-namespace";
    /**
     * resourceVersion=0: the API server answers from its watch cache instead of a quorum read of
     * etcd, as informers list; a second-old list of agents is as good, and -w lists every round. A
     * new object each time: fabric8 writes the request's label selector into the one it is given.
     */
    private static ListOptions fromCache() {
        return new ListOptionsBuilder().withResourceVersion("0").build();
    }

    private AgentDiscovery() {
    }

    /**
     * The agents, one per node, sorted by node.
     *
     * @param namespace the agents' namespace, or null for every namespace
     */
    static List<KubectlAgent> find(KubernetesClient client, String namespace, String selector) {
        List<Pod> pods;
        try {
            pods = namespace == null
                    ? client.pods().inAnyNamespace().withLabelSelector(selector).list(fromCache()).getItems()
                    : client.pods().inNamespace(namespace).withLabelSelector(selector).list(fromCache()).getItems();
        } catch (KubernetesClientException e) {
            throw Cluster.explain(client, e, namespace == null
                    ? "you may not list pods in all namespaces: kubectl podhogs needs list on pods cluster-wide to find"
                            + " its agents, or --agent-namespace NS with list on pods in the agents' namespace"
                    : "you may not list pods in namespace " + namespace
                            + ": kubectl podhogs needs list on pods there to find its agents");
        }
        if (pods.isEmpty()) {
            throw PluginException.error("no podhogs agents found (no pods labelled " + selector + " in "
                    + (namespace == null ? "any namespace" : "namespace " + namespace) + "); install them with: "
                    + INSTALL);
        }
        // A node has two agent pods during a rolling update: ask the ready one, the newest.
        Map<String, Pod> byNode = new LinkedHashMap<>();
        Comparator<Pod> better = Comparator.<Pod, Boolean>comparing(p -> notReady(p) == null)
                .thenComparing(p -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""));
        for (Pod p : pods) {
            String node = node(p);
            Pod other = byNode.get(node);
            if (other == null || better.compare(p, other) > 0) {
                byNode.put(node, p);
            }
        }
        List<KubectlAgent> agents = new ArrayList<>();
        byNode.forEach((node, p) -> agents.add(new KubectlAgent(node, p.getMetadata().getNamespace(),
                p.getMetadata().getName(), port(p), notReady(p),
                p.getSpec() == null || p.getSpec().getNodeSelector() == null ? Map.of() : p.getSpec().getNodeSelector())));
        agents.sort(Comparator.comparing(KubectlAgent::node));
        return List.copyOf(agents);
    }

    /**
     * The nodes meant to have an agent that have none: Linux nodes (the chart's default) that match
     * the agents' node selector (the chart's nodeSelector value; affinity is not looked at). Each is
     * named as a node that did not answer. Nothing when the nodes cannot be listed (a user who may
     * not list nodes still gets every agent's answer; only this check is lost).
     */
    static List<KubectlAgent> nodesWithout(KubernetesClient client, List<KubectlAgent> agents) {
        Set<String> covered = new HashSet<>();
        agents.forEach(a -> covered.add(a.node()));
        Map<String, String> selector = agents.isEmpty() ? Map.of() : agents.get(0).nodeSelector();
        List<KubectlAgent> missing = new ArrayList<>();
        try {
            for (Node n : client.nodes().list(fromCache()).getItems()) {
                String name = n.getMetadata().getName();
                Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
                boolean meant = "linux".equals(labels.getOrDefault("kubernetes.io/os", "linux"))
                        && labels.entrySet().containsAll(selector.entrySet());
                if (!covered.contains(name) && meant) {
                    missing.add(new KubectlAgent(name, "", "", DEFAULT_PORT, "no podhogs agent runs on it", Map.of()));
                }
            }
        } catch (KubernetesClientException e) {
            return List.of();
        }
        missing.sort(Comparator.comparing(KubectlAgent::node));
        return missing;
    }

    private static String node(Pod p) {
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        return node == null || node.isEmpty() ? "<unscheduled>" : node;
    }

    private static int port(Pod p) {
        if (p.getSpec() != null && p.getSpec().getContainers() != null) {
            for (var c : p.getSpec().getContainers()) {
                for (ContainerPort port : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                    if (PORT_NAME.equals(port.getName()) && port.getContainerPort() != null) {
                        return port.getContainerPort();
                    }
                }
            }
        }
        return DEFAULT_PORT;
    }

    /** Why the pod cannot answer, or null: a port-forward to it would only fail. */
    private static String notReady(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
            return "agent pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + " is terminating";
        }
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (!"Running".equals(phase)) {
            return "agent pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + " is "
                    + (phase == null ? "not running" : phase);
        }
        List<PodCondition> conditions = p.getStatus().getConditions() == null ? List.of() : p.getStatus().getConditions();
        boolean ready = conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return ready ? null : "agent pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()
                + " is not ready";
    }
}
