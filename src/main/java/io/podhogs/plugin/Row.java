package io.podhogs.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podhogs.export.api.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the cluster-wide answer: the agent's JSON object as it came (so -o json passes on
 * every field, even ones this client does not know), the nodes it came from, and its usage read.
 *
 * @param nodes one node, or several for a namespace's or a workload's rows summed across nodes
 */
record Row(List<String> nodes, ObjectNode json, Usage usage) {
    /** A field as text, "" when absent. */
    String text(String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    JsonNode field(String field) {
        return json.get(field);
    }

    /** The pod's labels, for -l. */
    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = json.get("labels");
        if (l != null) {
            l.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }
}
