package io.podhogs.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.podhogs.cli.HistoryPeriods;
import io.podhogs.history.Resolution;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * kubectl podhogs history: every node's recorded history (the agents' /api/v1/history), summed per
 * pod, workload, namespace, container or program across the nodes.
 */
@Command(name = "kubectl podhogs history", mixinStandardHelpOptions = true, sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Traffic the nodes' podhogs agents recorded (their history, kept on each node across"
                + " restarts), per period, summed across nodes by pod (namespace/name), workload, namespace,"
                + " container or program; each period's top keys and an 'other' row.",
            "",
            "Exit status: 0 every node answered, 3 some nodes did not (each named on stderr), 1 error, 2 usage.", ""})
final class KubectlHistoryCommand implements Callable<Integer> {
    static final String WORD = "history";
    /** Keys an agent is asked for per period: enough that the top ones across nodes are whole. */
    static final int ASKED_TOP = 1000;

    @Option(names = "--by", paramLabel = "LEVEL", defaultValue = "pod",
            description = "pod (default), workload, namespace, container, program or app (the agents' applications)")
    String by;

    @ArgGroup(exclusive = true)
    HistoryPeriods periods = new HistoryPeriods();

    @Option(names = "--since", paramLabel = "TIME", description = "Only periods from TIME (2026-12-01 or 2026-12-01T10:00:00Z)")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only periods that start before TIME")
    String until;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Keys shown per period (default 10),"
            + " the rest summed in 'other'")
    int top;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Only this namespace (default: the context's) for pods, workloads and containers")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace")
    boolean allNamespaces;

    @Option(names = "--node", paramLabel = "NODE", description = "Ask only this node's agent")
    String node;

    @Mixin
    OutputOptions printing = new OutputOptions();

    @Mixin
    AgentAccess access = new AgentAccess();

    private final PrintWriter out;
    private final PrintWriter err;
    private final Cluster.Environment env;

    KubectlHistoryCommand(PrintWriter out, PrintWriter err, Cluster.Environment env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() {
        ClusterHistory.keyFields(by); // checks --by
        if (namespace != null && allNamespaces) {
            throw PluginException.usage("-n and -A together: choose one");
        }
        if (namespace != null && by.equals("app")) {
            throw PluginException.usage("-n: applications are of no one namespace (a pod's automatic one is named"
                    + " NAMESPACE/NAME); list them all with --by app");
        }
        if (top < 1) {
            throw PluginException.usage("--top must be at least 1");
        }
        Query.Output format = printing.format();
        Units u = printing.units(false);
        String path = "/api/v1/history?by=" + by + "&resolution=" + periods.resolution().label() + "&top=" + ASKED_TOP
                + time("since", since) + time("until", until);
        access.perNode();
        ObjectMapper json = Structured.mapper();
        try (KubernetesClient client = access.connect(env);
             FanOut fanOut = access.fanOut(client, json)) {
            String scope = allNamespaces || !ClusterHistory.namespaced(by) ? null
                    : namespace != null ? namespace : client.getNamespace() == null ? "default" : client.getNamespace();
            List<NodeAnswer> answers = fanOut.askOnce(access.agents(client, node), path);
            List<NodeAnswer> failed = answers.stream().filter(a -> !a.ok()).toList();
            if (failed.size() == answers.size()) {
                report(failed);
                throw PluginException.error("no podhogs agent answered (" + answers.size() + " asked)");
            }
            List<ClusterHistory.Row> rows = ClusterHistory.merge(answers, by, scope, top);
            if (rows.isEmpty() && format.table()) {
                err.println("No history recorded" + (scope == null ? "" : " in " + scope + " namespace") + ".");
            } else if (format.table()) {
                out.print(ClusterHistory.table(by, title(periods.resolution()), rows, u, format == Query.Output.WIDE,
                        !printing.noHeaders));
            } else {
                out.print(Structured.write(ClusterHistory.document(by, periods.resolution().label(), rows, answers, json), format,
                        json));
            }
            out.flush();
            answers.stream().filter(a -> a.ok() && a.omitted() > 0).forEach(a -> err.println("warning: node "
                    + a.agent().node() + " answered its first " + "rows only: narrow --since/--until"));
            report(failed);
            return failed.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }

    private void report(List<NodeAnswer> failed) {
        for (NodeAnswer a : failed) {
            err.println("warning: node " + a.agent().node() + " did not answer: " + a.failure()
                    + (a.agent().pod().isEmpty() ? "" : " (agent " + a.agent().name() + ")"));
        }
        err.flush();
    }

    /** "&since=..." in RFC 3339 (a date is its start, UTC), or "" when not given. */
    /** The table's first column: when each period starts. */
    private static String title(Resolution r) {
        return switch (r) {
            case FIVE_MINUTES -> "START";
            case HOURS -> "HOUR";
            case DAYS -> "DAY";
            case MONTHS -> "MONTH";
            case YEARS -> "YEAR";
        };
    }

    private static String time(String name, String value) {
        if (value == null) {
            return "";
        }
        Instant t;
        try {
            t = Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                t = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw PluginException.usage("--" + name + " takes 2026-12-01 or 2026-12-01T10:00:00Z, not \"" + value + "\"");
            }
        }
        return "&" + name + "=" + URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }
}
