package io.podhogs.plugin;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What kubectl podhogs lists: one of the agent's lists (GET /api/v1/{list}), the fields that name a
 * row (they order rows of equal traffic, and --sort-by name), and whether rows from several nodes
 * are summed into one (a namespace, a workload or an application spans nodes; a pod, a process or a
 * connection does not; nor are devices).
 */
enum View {
    PODS("pods", List.of("namespace", "pod", "node"), false, "pod", "po"),
    CONTAINERS("containers", List.of("namespace", "pod", "container", "node"), false, "container"),
    PROCESSES("processes", List.of("namespace", "pod", "container", "node", "pid"), false, "process", "proc"),
    CONNECTIONS("connections", List.of("namespace", "pod", "node", "protocol", "local", "remote"), false,
            "connection", "conn"),
    NAMESPACES("namespaces", List.of("namespace"), true, "namespace", "ns"),
    WORKLOADS("workloads", List.of("namespace", "workload_kind", "workload"), true, "workload"),
    /** Applications (the agents' podhogs.apps.*): of no one namespace, summed across nodes. */
    APPS("apps", List.of("app"), true, "app", "application", "applications"),
    /**
     * Each node's devices, the host's side of each: of no namespace or pod, and not summed (eth0 of
     * two nodes are two devices; a byte that crossed a veth and its bridge is in both their rows).
     */
    INTERFACES("interfaces", List.of("node", "name"), false, "interface", "iface", "if");

    private final String list;
    private final List<String> key;
    private final boolean summed;
    private final List<String> aliases;

    View(String list, List<String> key, boolean summed, String... aliases) {
        this.list = list;
        this.key = key;
        this.summed = summed;
        this.aliases = List.of(aliases);
    }

    /** The agent's list: /api/v1/{list}. */
    String list() {
        return list;
    }

    List<String> key() {
        return key;
    }

    /** Rows of one name from several nodes are summed (namespaces, workloads, applications). */
    boolean summed() {
        return summed;
    }

    /** Rows carry their pod's labels, so -l applies. */
    boolean labelled() {
        return !summed && this != INTERFACES;
    }

    /** Rows of no one namespace: listed whole whatever the context's namespace, and -n refused. */
    boolean namespaceless() {
        return this == APPS || this == INTERFACES;
    }

    static View parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        for (View v : values()) {
            if (v.list.equals(t) || v.aliases.contains(t)) {
                return v;
            }
        }
        throw PluginException.usage("unknown view \"" + text + "\": use one of "
                + Arrays.stream(values()).map(View::list).collect(Collectors.joining(", ")));
    }
}
