package io.podhogs.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The nodes' history rows made one answer: rows of the same period and key summed across nodes (a
 * pod name recreated on another node, a workload's pods on several nodes, a namespace everywhere),
 * kept to a namespace where one is asked, and each period's top keys by bytes with the rest in
 * {@code other}, as {@code podhogs history} shows one node's.
 */
final class ClusterHistory {
    static final String OTHER = "other";

    /** The key fields of each level, as the agent's rows name them. */
    static List<String> keyFields(String by) {
        return switch (by) {
            case "program" -> List.of("program", "user");
            case "container" -> List.of("container", "image", "namespace", "pod");
            case "pod" -> List.of("namespace", "pod", "workload");
            case "workload" -> List.of("namespace", "workload");
            case "namespace" -> List.of("namespace");
            case "app" -> List.of("app");
            default -> throw PluginException.usage("--by takes program, container, pod, workload, namespace or app, not \""
                    + by + "\"");
        };
    }

    /** Whether rows of this level belong to a namespace (and so -n keeps some of them). */
    static boolean namespaced(String by) {
        return !by.equals("program") && !by.equals("namespace") && !by.equals("app");
    }

    /** One summed row: its period, key, traffic, remote classes and the nodes it came from. */
    record Row(String start, String end, List<String> key, long sent, long received, long sentPackets,
               long receivedPackets, Map<String, long[]> classes, TreeSet<String> nodes) {
        long total() {
            return sent + received;
        }

        boolean other() {
            return key.get(0).equals(OTHER) && key.subList(1, key.size()).stream().allMatch(String::isEmpty);
        }

        Row plus(Row o) {
            Map<String, long[]> c = new TreeMap<>(classes);
            o.classes.forEach((k, v) -> c.merge(k, v, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}));
            TreeSet<String> n = new TreeSet<>(nodes);
            n.addAll(o.nodes);
            return new Row(start, end, key, sent + o.sent, received + o.received, sentPackets + o.sentPackets,
                    receivedPackets + o.receivedPackets, c, n);
        }
    }

    private ClusterHistory() {
    }

    /**
     * @param namespace only rows of this namespace (for namespaced levels), or null for all
     * @param top each period's rows by bytes kept by name; the rest summed into other
     */
    static List<Row> merge(List<NodeAnswer> answers, String by, String namespace, int top) {
        List<String> fields = keyFields(by);
        Map<String, Map<List<String>, Row>> periods = new TreeMap<>();
        for (NodeAnswer a : answers) {
            if (!a.ok()) {
                continue;
            }
            for (ObjectNode r : a.rows()) {
                List<String> key = new ArrayList<>();
                for (String f : fields) {
                    key.add(r.path(f).asText(""));
                }
                if (namespace != null && namespaced(by) && !r.path("namespace").asText("").equals(namespace)) {
                    continue;
                }
                Map<String, long[]> classes = new TreeMap<>();
                r.path("remote_classes").fields().forEachRemaining(e -> classes.put(e.getKey(),
                        new long[] {e.getValue().path("sent_bytes").asLong(), e.getValue().path("received_bytes").asLong()}));
                TreeSet<String> nodes = new TreeSet<>();
                nodes.add(a.agent().node());
                Row row = new Row(r.path("start").asText(), r.path("end").asText(), key, r.path("sent_bytes").asLong(),
                        r.path("received_bytes").asLong(), r.path("sent_packets").asLong(),
                        r.path("received_packets").asLong(), classes, nodes);
                periods.computeIfAbsent(row.start(), s -> new LinkedHashMap<>()).merge(key, row, Row::plus);
            }
        }
        List<Row> result = new ArrayList<>();
        for (Map<List<String>, Row> period : periods.values()) {
            List<Row> rows = new ArrayList<>(period.values());
            rows.sort(Comparator.comparingLong(Row::total).reversed().thenComparing(r -> String.join("/", r.key())));
            Row other = null;
            int kept = 0;
            for (Row r : rows) {
                if (!r.other() && kept < top) {
                    result.add(r);
                    kept++;
                } else {
                    List<String> key = new ArrayList<>();
                    key.add(OTHER);
                    while (key.size() < fields.size()) {
                        key.add("");
                    }
                    Row asOther = new Row(r.start(), r.end(), key, r.sent(), r.received(), r.sentPackets(),
                            r.receivedPackets(), r.classes(), r.nodes());
                    other = other == null ? asOther : other.plus(asOther);
                }
            }
            if (other != null) {
                result.add(other);
            }
        }
        return result;
    }

    /** -o json / yaml: the rows (with their nodes), which nodes answered and which did not. */
    static ObjectNode document(String by, String resolution, List<Row> rows, List<NodeAnswer> answers, ObjectMapper json) {
        ObjectNode doc = json.createObjectNode();
        doc.put("view", "history");
        doc.put("by", by);
        doc.put("resolution", resolution);
        ArrayNode items = doc.putArray("items");
        List<String> fields = keyFields(by);
        for (Row r : rows) {
            ObjectNode o = items.addObject();
            o.put("start", r.start());
            o.put("end", r.end());
            for (int i = 0; i < fields.size(); i++) {
                o.put(fields.get(i), r.key().get(i));
            }
            o.put("sent_bytes", r.sent());
            o.put("received_bytes", r.received());
            o.put("sent_packets", r.sentPackets());
            o.put("received_packets", r.receivedPackets());
            ObjectNode classes = o.putObject("remote_classes");
            r.classes().forEach((k, v) -> classes.putObject(k).put("sent_bytes", v[0]).put("received_bytes", v[1]));
            ArrayNode nodes = o.putArray("nodes");
            r.nodes().forEach(nodes::add);
        }
        ArrayNode answered = doc.putArray("answered");
        ArrayNode unanswered = doc.putArray("unanswered");
        for (NodeAnswer a : answers) {
            if (a.ok()) {
                answered.add(a.agent().node());
            } else {
                ObjectNode n = unanswered.addObject();
                n.put("node", a.agent().node());
                n.put("agent", a.agent().name());
                n.put("reason", a.failure());
            }
        }
        return doc;
    }

    /** The table: a period per block, the key's columns, RX, TX, TOTAL (wide: the nodes), a TOTAL row. */
    static String table(String by, String periodTitle, List<Row> rows, Units units, boolean wide, boolean headers) {
        List<String> fields = keyFields(by);
        List<List<String>> lines = new ArrayList<>();
        if (headers) {
            List<String> head = new ArrayList<>(List.of(periodTitle));
            fields.forEach(f -> head.add(f.toUpperCase(java.util.Locale.ROOT)));
            head.addAll(List.of("RX", "TX", "TOTAL"));
            if (wide) {
                head.add("NODES");
            }
            lines.add(head);
        }
        String last = null;
        long sent = 0;
        long received = 0;
        for (Row r : rows) {
            List<String> line = new ArrayList<>();
            line.add(r.start().equals(last) ? "" : period(r.start(), periodTitle));
            last = r.start();
            for (String k : r.key()) {
                line.add(k.isEmpty() ? "<none>" : k);
            }
            line.addAll(List.of(units.amount(r.received()), units.amount(r.sent()), units.amount(r.total())));
            if (wide) {
                line.add(String.join(",", r.nodes()));
            }
            lines.add(line);
            sent += r.sent();
            received += r.received();
        }
        if (headers && !rows.isEmpty()) {
            List<String> total = new ArrayList<>(List.of("TOTAL"));
            fields.forEach(f -> total.add(""));
            total.addAll(List.of(units.amount(received), units.amount(sent), units.amount(sent + received)));
            if (wide) {
                total.add("");
            }
            lines.add(total);
        }
        return Table.layout(lines);
    }

    /** The period's start as its title reads: 2026-12-05 for a DAY, 2026-12 for a MONTH ... (the agent's times are UTC). */
    private static String period(String start, String title) {
        return switch (title) {
            case "YEAR" -> start.substring(0, 4);
            case "MONTH" -> start.substring(0, 7);
            case "DAY" -> start.substring(0, 10);
            default -> start.length() >= 16 ? start.substring(0, 10) + " " + start.substring(11, 16) : start;
        };
    }
}
