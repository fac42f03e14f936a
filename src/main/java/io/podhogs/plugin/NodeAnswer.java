package io.podhogs.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What one node's agent answered: its rows, or why there are none (the node is then named on
 * stderr and the exit code says the answer is partial).
 *
 * @param status the HTTP status of a refusal (403 is access, 503 the proxy's), 0 for no answer at all
 */
record NodeAnswer(Agent agent, List<ObjectNode> rows, int status, String failure) {
    static NodeAnswer answered(Agent agent, List<ObjectNode> rows) {
        return new NodeAnswer(agent, List.copyOf(rows), 0, null);
    }

    static NodeAnswer failed(Agent agent, int status, String failure) {
        return new NodeAnswer(agent, List.of(), status, failure);
    }

    boolean ok() {
        return failure == null;
    }
}
