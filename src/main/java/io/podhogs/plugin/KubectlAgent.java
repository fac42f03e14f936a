package io.podhogs.plugin;

import java.util.Map;

/**
 * One node's podhogs agent as its pod tells: the pod a port-forward reaches it through, and why it
 * is not asked when it is not ready.
 *
 * @param node the node the pod runs on (spec.nodeName)
 * @param port the API's port, the container port named api (the chart's), or the agent's default 9811
 * @param notReady why the pod is not asked (Pending, terminating, not ready), or null when it is ready
 * @param nodeSelector the pod's node selector (its DaemonSet's): which nodes are meant to have an agent
 */
record KubectlAgent(String node, String namespace, String pod, int port, String notReady, Map<String, String> nodeSelector) {
    KubectlAgent {
        nodeSelector = Map.copyOf(nodeSelector);
    }

    boolean ready() {
        return notReady == null;
    }

    /** namespace/pod, as kubectl names a pod. */
    String name() {
        return namespace + "/" + pod;
    }
}
