package io.podhogs.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What one node's agent answered: its rows, or why there are none (the node is then named on
 * stderr and the exit code says the answer is partial).
 *
 * @param status the HTTP status of a refusal (403 is access) or of the agent's answer, 0 for no answer at all
 * @param omitted rows the agent left out of its list (connections beyond what its engine copies)
 */
record NodeAnswer(KubectlAgent agent, List<ObjectNode> rows, long omitted, int status, String failure) {
    static NodeAnswer answered(KubectlAgent agent, List<ObjectNode> rows, long omitted) {
        return new NodeAnswer(agent, List.copyOf(rows), omitted, 0, null);
    }

    static NodeAnswer failed(KubectlAgent agent, int status, String failure) {
        return new NodeAnswer(agent, List.of(), 0, status, failure);
    }

    boolean ok() {
        return failure == null;
    }
}
