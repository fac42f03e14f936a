package io.podhogs.plugin;

import io.podhogs.cli.Version;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** kubectl podhogs: the options (kubectl's where kubectl has one) and one answer, or a watch of answers. */
@Command(name = "kubectl podhogs", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Network bandwidth per pod (or container, process, connection, namespace, workload, application) across"
                + " the cluster, from every node's podhogs agent, read through a port-forward (pods/portforward).",
                "",
                "Exit status: 0 every node answered, 3 some nodes did not (each named on stderr), 1 error,"
                + " 2 usage.", ""})
final class KubectlPodhogsCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "VIEW", defaultValue = "pods",
            description = "pods (default), containers, processes, connections, namespaces, workloads, apps or"
                    + " interfaces (each node's devices); history: what the agents recorded (kubectl podhogs history"
                    + " --help)")
    String view;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Only this namespace (default: the context's); filtered here, not by the agents")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace (and, for processes and connections,"
            + " the nodes' own)")
    boolean allNamespaces;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "Pod label selector: app=web,tier!=db,env in (a,b),canary,!legacy")
    String selector;

    @Option(names = "--node", paramLabel = "NODE", description = "Ask only this node's agent")
    String node;

    @Option(names = "--sort-by", paramLabel = "KEY", defaultValue = "total", description = "total (default: TX+RX"
            + " rate), tx, rx, bytes, tx-bytes, rx-bytes, in-cluster, internet or name")
    String sortBy;

    @Option(names = "--window", paramLabel = "WINDOW", defaultValue = "2s",
            description = "The rates' window, as the agent keeps them: 2s (default), 10s or 40s")
    String window;

    @Mixin
    OutputOptions printing = new OutputOptions();

    @Option(names = "--bits", description = "Bits instead of bytes (Kibit/s; kbit/s with --units si)")
    boolean bits;

    @Option(names = {"-w", "--watch"}, description = "Ask again every --interval, redrawing in place (Ctrl-C ends)")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", description = "With -w (default 2s)")
    String interval;

    @Mixin
    AgentAccess access = new AgentAccess();

    private final PrintWriter out;
    private final PrintWriter err;
    private final Cluster.Environment env;
    private final boolean terminal;

    KubectlPodhogsCommand(PrintWriter out, PrintWriter err, Cluster.Environment env, boolean terminal) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        // Every option checked before the cluster is asked: a typo costs no round trip.
        View v = View.parse(view);
        if (namespace != null && allNamespaces) {
            throw PluginException.usage("-n and -A together: choose one");
        }
        if (namespace != null && v == View.APPS) {
            throw PluginException.usage("-n: applications are of no one namespace (a pod's automatic one is named"
                    + " NAMESPACE/NAME); list them all with kubectl podhogs apps");
        }
        if (namespace != null && v == View.INTERFACES) {
            throw PluginException.usage("-n: a node's devices are of no namespace; choose nodes with --node");
        }
        LabelSelector labels = LabelSelector.parse(selector);
        if (!labels.isEmpty() && !v.labelled()) {
            throw PluginException.usage("-l selects pods: it applies to pods, containers, processes and connections,"
                    + " not to " + v.list());
        }
        Query.SortKey sort = Query.SortKey.parse(sortBy);
        if ((v == View.CONNECTIONS || v == View.INTERFACES)
                && (sort == Query.SortKey.IN_CLUSTER || sort == Query.SortKey.INTERNET)) {
            throw PluginException.usage("--sort-by " + sort.word + " needs bytes by remote class, which "
                    + (v == View.CONNECTIONS ? "a connection has not (its CLASS column is its one class): sort connections"
                    : "a device has not: sort interfaces") + " by total, tx, rx, bytes or name");
        }
        if (!Query.WINDOWS.contains(window)) {
            throw PluginException.usage("unknown --window \"" + window + "\": the agent keeps 2s, 10s and 40s");
        }
        Query.Output format = printing.format();
        Units chosen = printing.units(bits);
        Duration every = Durations.parse(interval);
        access.perNode();
        ObjectMapper json = Structured.mapper();
        try (KubernetesClient client = access.connect(env);
             FanOut fanOut = access.fanOut(client, json)) {
            String scope;
            if (allNamespaces) {
                scope = null;
            } else if (namespace != null) {
                scope = namespace;
            } else if (v == View.NAMESPACES || v.namespaceless()) {
                // namespaces are listed cluster-wide, as kubectl get namespaces does; applications
                // are of no one namespace (a rule may take several)
                scope = null;
            } else {
                scope = client.getNamespace() == null ? "default" : client.getNamespace();
            }
            Query q = new Query(v, scope, labels, node, sort, window, format, chosen, printing.noHeaders);
            Round round = new Round(client, fanOut, json, access);
            return watch ? watch(q, round, every) : once(q, round);
        }
    }

    /** One question to every agent, made one answer. */
    private record Round(KubernetesClient client, FanOut fanOut, ObjectMapper json, AgentAccess access) {
        ClusterAnswer ask(Query q) {
            List<KubectlAgent> agents = access.agents(client, q.node());
            return ClusterAnswer.of(q, fanOut.ask(agents, q.view().list()), json);
        }
    }

    private int once(Query q, Round round) {
        ClusterAnswer answer = round.ask(q);
        if (answer.answered().isEmpty()) {
            throw noAnswer(answer);
        }
        if (answer.rows().isEmpty() && q.output().table()) {
            // kubectl's words for an empty table, on stderr as kubectl writes them.
            err.println(q.namespace() == null ? "No resources found" : "No resources found in " + q.namespace()
                    + " namespace.");
        } else {
            out.print(render(q, answer, round.json()));
            out.flush();
        }
        reportUnanswered(answer);
        return answer.unanswered().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    /**
     * No node answered: refused access to every agent is one RBAC line (the same for each node);
     * anything else names each node, then says none answered.
     */
    private PluginException noAnswer(ClusterAnswer answer) {
        List<NodeAnswer> failed = answer.unanswered();
        if (failed.stream().allMatch(a -> a.status() == 403)) {
            String namespaces = String.join(", ", failed.stream().map(a -> a.agent().namespace()).distinct().toList());
            return PluginException.error("forbidden: you may not reach the podhogs agents: kubectl podhogs needs get and"
                    + " create on pods/portforward in namespace " + namespaces);
        }
        reportUnanswered(answer);
        return PluginException.error("no podhogs agent answered (" + failed.size() + " asked)");
    }

    private void reportUnanswered(ClusterAnswer answer) {
        new TreeMap<>(answer.omitted()).forEach((node, n) -> err.println("warning: node " + node + " listed"
                + " the busiest connections only: " + n + " more not listed"));
        for (NodeAnswer a : answer.unanswered()) {
            err.println("warning: node " + a.agent().node() + " did not answer: " + a.failure()
                    + (a.agent().pod().isEmpty() ? "" : " (agent " + a.agent().name() + ")"));
        }
        err.flush();
    }

    private String render(Query q, ClusterAnswer answer, ObjectMapper json) {
        return q.output().table() ? Table.render(q, answer) : Structured.render(q, answer, json);
    }

    /**
     * -w: asks again every interval until Ctrl-C (which ends the JVM, status 130 as for any command
     * it stops). In a terminal each table replaces the last one, under a title line with the time; in a
     * pipe, answers follow one another. An error after the first answer is shown and the watch goes on
     * (an API server restarting should not end it); before the first, it ends the command as without -w.
     */
    private int watch(Query q, Round round, Duration every) {
        boolean first = true;
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss");
        while (true) {
            long started = System.nanoTime();
            ClusterAnswer answer = null;
            String error = null;
            try {
                answer = round.ask(q);
                if (answer.answered().isEmpty()) {
                    if (first) {
                        throw noAnswer(answer);
                    }
                    // Shown after the frame (with each node's line), not before it, where the redraw would wipe it.
                    error = "no podhogs agent answered (" + answer.unanswered().size() + " asked)";
                }
            } catch (PluginException e) {
                if (first) {
                    throw e;
                }
                error = e.getMessage();
            }
            StringBuilder frame = new StringBuilder();
            if (q.output().table()) {
                if (terminal) {
                    frame.append("\033[H\033[2J"); // cursor home, clear screen: redraw in place
                } else if (!first) {
                    frame.append('\n');
                }
                int asked = answer == null ? 0 : answer.answered().size() + answer.unanswered().size();
                frame.append("Every ").append(Durations.format(every)).append(": kubectl podhogs ")
                        .append(q.view().list()).append("   ")
                        .append(answer == null ? "no answer" : answer.answered().size() + " of " + asked + " nodes answered")
                        .append("   ").append(LocalTime.now().format(clock)).append("\n\n");
            } else if (q.output() == Query.Output.YAML && !first) {
                frame.append("---\n");
            }
            if (answer != null && !answer.answered().isEmpty()) {
                frame.append(render(q, answer, round.json()));
            }
            out.print(frame);
            out.flush();
            if (out.checkError()) {
                return ExitCodes.OK; // the reader is gone (| head): nothing to watch for any more
            }
            if (answer != null) {
                reportUnanswered(answer);
            }
            if (error != null) {
                err.println("error: " + error);
                err.flush();
            }
            first = false;
            long left = every.toMillis() - (System.nanoTime() - started) / 1_000_000;
            if (left > 0) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.OK;
                }
            }
        }
    }
}
