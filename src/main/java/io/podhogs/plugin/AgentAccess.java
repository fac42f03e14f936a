package io.podhogs.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How kubectl podhogs reaches the agents, the options every view shares (a picocli mixin): the
 * kubeconfig and context, where the agents are, how many nodes are asked at once and for how long.
 */
final class AgentAccess {
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long one node's agent may take, all its pages (default 5s)")
    String timeout;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "16",
            description = "Nodes asked at once (default 16)")
    int parallel;

    @Option(names = "--agent-namespace", paramLabel = "NS",
            description = "The agents' namespace (default: look in all namespaces)")
    String agentNamespace;

    @Option(names = "--agent-selector", paramLabel = "SELECTOR", defaultValue = AgentDiscovery.DEFAULT_SELECTOR,
            description = "The agents' pods' labels (default: the chart's)")
    String agentSelector;

    @Option(names = "--context", paramLabel = "CONTEXT", description = "The kubeconfig context to use")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig file to use")
    String kubeconfig;

    /** How long one node may take; checked with --parallel before the cluster is asked. */
    Duration perNode() {
        Duration d = Durations.parse(timeout);
        if (parallel < 1) {
            throw PluginException.usage("--parallel must be at least 1");
        }
        return d;
    }

    KubernetesClient connect(Cluster.Environment env) {
        return Cluster.connect(kubeconfig, context, env, parallel, perNode());
    }

    FanOut fanOut(KubernetesClient client, ObjectMapper json) {
        return new FanOut(agent -> new PortForwardChannel(client, agent), json, parallel, perNode());
    }

    /**
     * The agents to ask: {@code node}'s only (an error when it has none), else every agent and, as
     * ones that did not answer, the nodes without one.
     */
    List<KubectlAgent> agents(KubernetesClient client, String node) {
        List<KubectlAgent> found = AgentDiscovery.find(client, agentNamespace, agentSelector);
        if (node != null) {
            List<KubectlAgent> on = found.stream().filter(a -> a.node().equals(node)).toList();
            if (on.isEmpty()) {
                throw PluginException.error("no podhogs agent on node " + node + " (agents run on: "
                        + String.join(", ", found.stream().map(KubectlAgent::node).toList()) + ")");
            }
            return on;
        }
        // A node without an agent is a node that did not answer, not a node that is not there.
        List<KubectlAgent> all = new ArrayList<>(found);
        all.addAll(AgentDiscovery.nodesWithout(client, found));
        return all;
    }
}
