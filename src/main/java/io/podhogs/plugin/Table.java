package io.podhogs.plugin;

import io.podhogs.export.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The table kubectl users expect: upper-case titles, columns three spaces apart, left-aligned,
 * "<none>" for an empty cell, NAMESPACE first only with -A; then a TOTAL row (not under devices,
 * whose rows do not add up: a byte on a veth and its bridge is in both). -o wide adds the
 * peaks and where rows come from (the node, the workload, the command line).
 */
final class Table {
    /**
     * @param total the totals row's cell, or null to leave it empty
     */
    private record Column(String title, Function<Row, String> cell, Function<Usage, String> total) {
    }

    private Table() {
    }

    static String render(Query q, ClusterAnswer answer) {
        List<Column> columns = columns(q);
        List<List<String>> lines = new ArrayList<>();
        if (!q.noHeaders()) {
            lines.add(columns.stream().map(Column::title).toList());
        }
        for (Row r : answer.rows()) {
            lines.add(columns.stream().map(c -> orNone(c.cell().apply(r))).toList());
        }
        // --no-headers is for scripts: the TOTAL row is a decoration too, and goes with the titles. A
        // byte that crossed a veth and its bridge is in both devices' rows: no total is theirs.
        if (!q.noHeaders() && q.view() != View.INTERFACES) {
            Usage totals = answer.totals();
            List<String> total = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                total.add(i == 0 ? "TOTAL" : c.total() == null ? "" : c.total().apply(totals));
            }
            lines.add(total);
        }
        return layout(lines);
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "<none>" : s;
    }

    static String layout(List<List<String>> lines) {
        if (lines.isEmpty()) {
            return "";
        }
        int[] widths = new int[lines.get(0).size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                l.append(line.get(i));
                if (i < line.size() - 1) {
                    l.append(" ".repeat(widths[i] - line.get(i).length() + 3));
                }
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static List<Column> columns(Query q) {
        boolean wide = q.output() == Query.Output.WIDE;
        Units u = q.units();
        String w = q.window();
        List<Column> c = new ArrayList<>();
        if ((q.allNamespaces() || q.view() == View.NAMESPACES) && !q.view().namespaceless()) {
            c.add(new Column("NAMESPACE", r -> r.text("namespace"), null));
        }
        switch (q.view()) {
            case PODS -> c.add(new Column("NAME", r -> r.text("pod"), null));
            case CONTAINERS -> {
                c.add(new Column("POD", r -> r.text("pod"), null));
                c.add(new Column("CONTAINER", r -> r.text("container"), null));
            }
            case PROCESSES -> {
                c.add(new Column("NODE", r -> r.text("node"), null));
                c.add(new Column("PID", r -> r.text("pid"), null));
                c.add(new Column("PROGRAM", r -> baseName(r.text("program")), null));
                c.add(new Column("POD", r -> r.text("pod"), null));
                c.add(new Column("CONTAINER", r -> r.text("container"), null));
            }
            case CONNECTIONS -> {
                c.add(new Column("NODE", r -> r.text("node"), null));
                c.add(new Column("POD", r -> r.text("pod"), null));
                c.add(new Column("PROTO", r -> r.text("protocol"), null));
                c.add(new Column("LOCAL", r -> r.text("local"), null));
                c.add(new Column("REMOTE", r -> r.text("remote"), null));
                c.add(new Column("CLASS", r -> r.text("remote_class"), null));
            }
            case NAMESPACES -> {
            }
            case WORKLOADS -> {
                c.add(new Column("KIND", r -> r.text("workload_kind"), null));
                c.add(new Column("NAME", r -> r.text("workload"), null));
            }
            case APPS -> c.add(new Column("APP", r -> r.text("app"), null));
            case INTERFACES -> {
                c.add(new Column("NODE", r -> r.text("node"), null));
                c.add(new Column("DEVICE", r -> r.text("name"), null));
            }
        }
        c.add(new Column("TX(" + w + ")", r -> u.rate(KubectlTraffic.rate(r.usage(), w).sent()),
                t -> u.rate(KubectlTraffic.rate(t, w).sent())));
        c.add(new Column("RX(" + w + ")", r -> u.rate(KubectlTraffic.rate(r.usage(), w).received()),
                t -> u.rate(KubectlTraffic.rate(t, w).received())));
        c.add(new Column("TX-TOTAL", r -> u.amount(r.usage().sentBytes()), t -> u.amount(t.sentBytes())));
        c.add(new Column("RX-TOTAL", r -> u.amount(r.usage().receivedBytes()), t -> u.amount(t.receivedBytes())));
        // A connection has one remote class, its CLASS column, and a device none: the agent keeps no
        // bytes by class for either.
        if (q.view() != View.CONNECTIONS && q.view() != View.INTERFACES) {
            c.add(new Column("IN-CLUSTER", r -> u.amount(KubectlTraffic.inCluster(r.usage())),
                    t -> u.amount(KubectlTraffic.inCluster(t))));
            c.add(new Column("INTERNET", r -> u.amount(KubectlTraffic.internet(r.usage())), t -> u.amount(KubectlTraffic.internet(t))));
        }
        if (!wide) {
            return c;
        }
        // Peaks are not added up in the TOTAL row: the rows' peaks were not at the same moment.
        c.add(new Column("PEAK-TX", r -> u.rate(peak(r.usage()).sent()), null));
        c.add(new Column("PEAK-RX", r -> u.rate(peak(r.usage()).received()), null));
        switch (q.view()) {
            case PODS -> {
                c.add(new Column("WORKLOAD", r -> r.text("workload").isEmpty() ? ""
                        : r.text("workload_kind") + "/" + r.text("workload"), null));
                c.add(new Column("NODE", r -> r.text("node"), null));
            }
            case CONTAINERS -> c.add(new Column("NODE", r -> r.text("node"), null));
            case PROCESSES -> c.add(new Column("COMMAND", r -> r.text("command").replaceAll("\\s+", " "), null));
            case CONNECTIONS -> {
                c.add(new Column("REMOTE-NAME", r -> r.text("remote_name"), null));
                c.add(new Column("PID", r -> r.text("pid"), null));
                c.add(new Column("PROGRAM", r -> baseName(r.text("program")), null));
                c.add(new Column("INTERFACE", r -> r.text("iface"), null));
            }
            case NAMESPACES, WORKLOADS, APPS -> c.add(new Column("NODES", r -> String.join(",", r.nodes()), null));
            case INTERFACES -> {
                // nothing more: a device's row is its bytes
            }
        }
        return c;
    }

    private static Usage.Rate peak(Usage u) {
        return u.peak() == null ? new Usage.Rate(0, 0) : u.peak();
    }

    /** A program's name without its directory: the JSON has the whole path. */
    private static String baseName(String program) {
        int slash = program.lastIndexOf('/');
        return slash < 0 ? program : program.substring(slash + 1);
    }
}
