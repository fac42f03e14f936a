package io.podhogs.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podhogs.export.api.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.TreeMap;

/**
 * The nodes' answers made one: rows merged (summed across nodes for namespaces and workloads),
 * filtered (-n, -l, client side), sorted, with the nodes that answered and those that did not, and
 * by node the rows an agent left out of its list (connections beyond what its engine copies).
 */
record ClusterAnswer(List<Row> rows, List<String> answered, List<NodeAnswer> unanswered, Map<String, Long> omitted) {

    static ClusterAnswer of(Query q, List<NodeAnswer> answers, ObjectMapper json) {
        List<Row> rows = new ArrayList<>();
        List<String> answered = new ArrayList<>();
        List<NodeAnswer> unanswered = new ArrayList<>();
        Map<String, Long> omitted = new TreeMap<>();
        for (NodeAnswer a : answers) {
            if (!a.ok()) {
                unanswered.add(a);
                continue;
            }
            answered.add(a.agent().node());
            if (a.omitted() > 0) {
                omitted.put(a.agent().node(), a.omitted());
            }
            for (ObjectNode agentRow : a.rows()) {
                ObjectNode copy = agentRow.deepCopy();
                if (!copy.hasNonNull("node") || copy.get("node").asText().isEmpty()) {
                    // Containers, processes and connections do not say their node: the agent's pod does.
                    copy.put("node", a.agent().node());
                }
                Row row = new Row(List.of(copy.get("node").asText()), copy, usage(json, copy.get("usage")));
                if (keep(q, row)) {
                    rows.add(row);
                }
            }
        }
        if (q.view().summed()) {
            rows = sum(q.view(), rows, json);
        }
        rows.sort(order(q));
        return new ClusterAnswer(List.copyOf(rows), List.copyOf(answered), List.copyOf(unanswered), Map.copyOf(omitted));
    }

    /** Every shown row's usage added up: the totals row. */
    Usage totals() {
        Usage total = KubectlTraffic.ZERO;
        for (Row r : rows) {
            total = KubectlTraffic.plus(total, r.usage());
        }
        return total;
    }

    private static Usage usage(ObjectMapper json, JsonNode usage) {
        try {
            return usage == null ? KubectlTraffic.ZERO : json.treeToValue(usage, Usage.class);
        } catch (JsonProcessingException e) {
            return KubectlTraffic.ZERO;
        }
    }

    private static boolean keep(Query q, Row row) {
        if (q.namespace() != null && !q.namespace().equals(row.text("namespace"))) {
            return false;
        }
        // A pod label selector selects pods: a row of no pod (a node's process, a Docker container)
        // has no labels to match, and must not pass a negative selector (tier!=db) for that.
        return q.selector().isEmpty() || (!row.text("pod").isEmpty() && q.selector().matches(row.labels()));
    }

    /** One row per name, its usage the sum of the nodes' rows, with the nodes it was seen on. */
    private static List<Row> sum(View view, List<Row> rows, ObjectMapper json) {
        Map<List<String>, List<Row>> byName = new LinkedHashMap<>();
        for (Row r : rows) {
            List<String> name = view.key().stream().map(r::text).toList();
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
        }
        List<Row> summed = new ArrayList<>();
        byName.forEach((name, group) -> {
            ObjectNode o = json.createObjectNode();
            for (String field : view.key()) {
                o.set(field, group.get(0).field(field));
            }
            TreeSet<String> nodes = new TreeSet<>();
            Usage usage = KubectlTraffic.ZERO;
            for (Row r : group) {
                nodes.addAll(r.nodes());
                usage = KubectlTraffic.plus(usage, r.usage());
            }
            ArrayNode nodeList = o.putArray("nodes");
            nodes.forEach(nodeList::add);
            o.set("usage", json.valueToTree(usage));
            summed.add(new Row(List.copyOf(nodes), o, usage));
        });
        return summed;
    }

    private static Comparator<Row> order(Query q) {
        Comparator<Row> byName = byKey(q.view());
        ToDoubleFunction<Row> number = switch (q.sort()) {
            case TOTAL -> r -> KubectlTraffic.rate(r.usage(), q.window()).sent() + KubectlTraffic.rate(r.usage(), q.window()).received();
            case TX -> r -> KubectlTraffic.rate(r.usage(), q.window()).sent();
            case RX -> r -> KubectlTraffic.rate(r.usage(), q.window()).received();
            case BYTES -> r -> r.usage().sentBytes() + r.usage().receivedBytes();
            case TX_BYTES -> r -> r.usage().sentBytes();
            case RX_BYTES -> r -> r.usage().receivedBytes();
            case IN_CLUSTER -> r -> KubectlTraffic.inCluster(r.usage());
            case INTERNET -> r -> KubectlTraffic.internet(r.usage());
            case NAME -> null;
        };
        return number == null ? byName : Comparator.comparingDouble(number).reversed().thenComparing(byName);
    }

    /** The view's naming fields in order, numbers (PIDs) as numbers. */
    private static Comparator<Row> byKey(View view) {
        Comparator<Row> c = (a, b) -> 0;
        for (String field : view.key()) {
            c = c.thenComparing((a, b) -> {
                JsonNode x = a.field(field);
                JsonNode y = b.field(field);
                if (x != null && y != null && x.isNumber() && y.isNumber()) {
                    return Double.compare(x.asDouble(), y.asDouble());
                }
                return a.text(field).compareTo(b.text(field));
            });
        }
        return c;
    }
}
