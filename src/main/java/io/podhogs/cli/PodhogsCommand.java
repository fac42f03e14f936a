package io.podhogs.cli;

import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.CaptureException;
import io.podhogs.capture.CaptureMode;
import io.podhogs.engine.EngineConfig;
import io.podhogs.engine.Spans;
import io.podhogs.export.CommandLines;
import io.podhogs.alerts.AlertMonitor;
import io.podhogs.alerts.AlertRule;
import io.podhogs.apps.Applications;
import io.podhogs.export.Level;
import io.podhogs.export.DisplayUnits;
import io.podhogs.export.PortRanges;
import io.podhogs.export.RowFormat;
import io.podhogs.export.UserNames;
import io.podhogs.export.ViewMode;
import io.podhogs.host.HostFiles;
import io.podhogs.history.HistoryException;
import io.podhogs.history.HistorySettings;
import io.podhogs.identity.Identities;
import io.podhogs.identity.kubernetes.KubernetesOptions;
import io.podhogs.node.CaptureSettings;
import io.podhogs.node.ClusterSettings;
import io.podhogs.node.NodeMonitor;
import io.podhogs.node.SettingNames;
import io.podhogs.select.AccountFilter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line: nethogs's flags with nethogs's meanings, and podhogs's own long options. It
 * wires the engine to one of three outputs and holds no state of its own beyond the parsed options.
 */
@Command(name = "podhogs", sortOptions = false, versionProvider = Version.class,
        description = {
            "Per-process network bandwidth, like nethogs, but exact under load: every",
            "byte a process sends or receives, TCP and UDP, counted as the interfaces'",
            "own counters count it, in every network namespace. --by sums processes",
            "into containers and, with a Kubernetes cluster, into pods, namespaces and",
            "workloads, with the bytes to outside the cluster and inside it. Default:",
            "a live top view (keys: q quit, s/r sort by sent/received, m view mode,",
            "u units, B bits, l command line, b basename, / filter rows by a regular",
            "expression, Up/Down and Enter: the connections of a process, container or",
            "pod, Esc back). -t prints nethogs's trace format; --json prints JSON lines.",
            "Filters (-P, --match ... --selector) show what they select and sum the",
            "rest into one 'filtered' row, so the rows still add up to what the",
            "interfaces carried.",
            "Needs root (or CAP_NET_RAW, CAP_NET_ADMIN, CAP_SYS_PTRACE and",
            "CAP_DAC_READ_SEARCH).",
            ""},
        footer = {"", "Exit status: 0 done, 2 bad usage or capture impossible (the message says",
            "how to fix it), 1 internal error.", "",
            "podhogs agent runs the node agent instead: Prometheus metrics at",
            "http://NODE:9810/metrics (a bearer token needed), health at /q/health, the",
            "JSON API at http://127.0.0.1:9811/api/v1 only; settings in README.md.", "",
            "podhogs report LOG... prints totals per program from trace logs (nethogs -t,",
            "podhogs -t or --json); podhogs history reads what --history (or the agent)",
            "recorded; podhogs pipe [LOCAL_PORT] HOST PORT relays TCP and counts what it",
            "relays (bwmon's pipe); their --help says how. A device named report, history,",
            "pipe or agent is watched with podhogs -- NAME.", "",
            "Other tools' spellings: bwmon's --include/--exclude REGEX are --match/--ignore",
            "here (podhogs's --include/--exclude choose interfaces); nethogs cheat sheets'",
            "'-p NAME' is --match NAME (-p is nethogs's promiscuous mode, kept as such)."})
public final class PodhogsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DEVICE", arity = "0..*",
            description = "Devices to watch, by name: one deleted and created again is counted again."
                    + " Default: every device that is up, except loopback, including devices that appear later.")
    List<String> devices = new ArrayList<>();

    @Option(names = "-t", description = "Trace mode: nethogs 0.8.7's 'Refreshing:' blocks of program/pid/uid, sent, received.")
    boolean trace;

    @Option(names = "--json", description = "One JSON object per row per refresh (bytes, packets, rates in bytes/s).")
    boolean json;

    @Option(names = "-v", paramLabel = "MODE", defaultValue = "0",
            description = "View mode: 0 KB/s, 1 total KB, 2 total bytes, 3 total MB, 4 MB/s, 5 GB/s (KB = 1024 B). Default: ${DEFAULT-VALUE}.")
    int viewMode;

    @Option(names = "-d", paramLabel = "SECONDS", defaultValue = "1", converter = Converters.Seconds.class,
            description = "Delay between refreshes, in seconds (fractions allowed). Default: ${DEFAULT-VALUE}.")
    Duration delay;

    @Option(names = "-c", paramLabel = "COUNT", defaultValue = "0",
            description = "Number of refreshes, then exit. Default: 0, unlimited.")
    int count;

    @Option(names = "-s", description = "Sort by sent (default: by received).")
    boolean sortBySent;

    @Option(names = "-P", paramLabel = "PID", description = "Show only this process (repeatable).")
    List<Integer> pids = new ArrayList<>();

    @Mixin
    FilterOptions filters = new FilterOptions();

    @Option(names = "-f", paramLabel = "FILTER", description = "BPF filter, tcpdump syntax (man pcap-filter).")
    String filter;

    @Option(names = "-a", description = "All devices, loopback included.")
    boolean allDevices;

    @Option(names = "-l", description = "Show command lines instead of program names.")
    boolean commandLine;

    @Option(names = "-b", description = "Show program base names instead of paths.")
    boolean basename;

    @Option(names = "-p", description = "Promiscuous mode (with --capture per-device; the any device cannot be).")
    boolean promiscuous;

    @Option(names = "-C", description = "Accepted for nethogs compatibility: podhogs always counts TCP and UDP.")
    boolean tcpAndUdp;

    @Option(names = "-g", paramLabel = "REFRESHES",
            description = "An exited process keeps its own row this many refreshes after its last bytes, then its"
                    + " totals join its container's (or the host's) 'exited processes' row. Default: 5 minutes' worth.")
    Integer garbageCollectionPeriod;

    @Option(names = "-x", description = "nethogs's bughunt mode: same as -t.")
    boolean bughunt;

    @Option(names = "--window", paramLabel = "SECONDS", defaultValue = "2", converter = Converters.Seconds.class,
            description = "Span of the rates (KB/s ...), sliding on the monotonic clock. Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(names = "--capture", paramLabel = "MODE", defaultValue = "any", converter = Converters.CaptureModes.class,
            description = "any: one ring on the any device, cooked v2 headers (default);"
                    + " per-device: one handle per device, opened and closed as devices come and go,"
                    + " direction by MAC address.")
    CaptureMode captureMode;

    @Option(names = "--include", paramLabel = "GLOB", split = ",",
            description = "Count only interfaces whose name matches (shell glob, repeatable or comma-separated:"
                    + " --include 'veth*,eth0'), devices that appear later included.")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", split = ",",
            description = "Leave out interfaces whose name matches (shell glob, repeatable or comma-separated).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--by", paramLabel = "LEVEL",
            description = "process (default); container: one row per container, the sum of its processes and"
                    + " of its network namespace's other traffic; pod, namespace, workload: Kubernetes levels,"
                    + " with the bytes to outside the cluster and inside it (needs a cluster); app: applications"
                    + " (--apps); interface: devices, each byte on the host's side of every device it crossed (a veth's"
                    + " and its bridge's rows do not add up to a total); connection: each process's connections (the"
                    + " busiest 10000 of the host) and one row of the rest of its bytes (closed, not TCP or UDP); port:"
                    + " the connections by service port, served here or used, and one row of the rest.")
    String by;

    @Option(names = "--port-range", paramLabel = "NAME=LOW-HIGH", split = ",",
            description = "With --by port: name a range of ports (web=8000-8999, repeatable or comma-separated, as"
                    + " iptraf's port ranges); the first that holds a port names its row.")
    List<String> portRanges = new ArrayList<>();

    @Mixin
    AppOptions apps = new AppOptions();

    @Mixin
    AlertOptions alerts = new AlertOptions();

    @Mixin
    UnitOptions units = new UnitOptions();

    @Option(names = "--kubernetes", paramLabel = "WHEN", defaultValue = "auto",
            description = "auto (default): use the cluster this host is configured for (in-cluster service account,"
                    + " KUBECONFIG, ~/.kube/config) when there is one; off: never.")
    String kubernetes;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name in the cluster. Default: $NODE_NAME, else the host name.")
    String nodeName;

    @Option(names = "--pod-cidr", paramLabel = "CIDR", split = ",",
            description = "The cluster's pod ranges, where nodes' spec.podCIDRs do not tell (Calico IPAM,"
                    + " AWS VPC CNI).")
    List<String> podCidrs = new ArrayList<>();

    @Option(names = "--service-cidr", paramLabel = "CIDR", split = ",",
            description = "The cluster's Service ranges, where no ServiceCIDR object tells (before Kubernetes 1.33).")
    List<String> serviceCidrs = new ArrayList<>();

    @Option(names = "--cluster-pod-index",
            description = "Watch every pod of the cluster to name other nodes' pods (memory and API load grow with"
                    + " the cluster).")
    boolean clusterPodIndex;

    @Option(names = "--pod-grace", paramLabel = "SECONDS", defaultValue = "300", converter = Converters.Seconds.class,
            description = "How long a deleted pod keeps its own row before its totals join its workload's"
                    + " deleted pods. Default: ${DEFAULT-VALUE}.")
    Duration podGrace;

    @Option(names = "--show-container", description = "Show the container of processes in one: in trace mode"
            + " its name in front of the program (web:/usr/sbin/nginx, nethogs's shape kept); in the top view a"
            + " column that 'c' turns from name to ID to image.")
    boolean showContainer;

    @Option(names = "--show-secrets", description = "Show command lines (-l, JSON) and programs whole. By"
            + " default an argument that looks like a secret (--password=..., token=..., a URL's password) is"
            + " shown as <redacted>.")
    boolean showSecrets;

    @Option(names = "-n", description = "No reverse DNS for the connections' remote ends (iftop's -n): addresses, or the"
            + " names DNS answers gave them (read from a handle of its own on port 53; no query is made).")
    boolean numeric;

    @Option(names = "--no-summary", description = "Leave out the summary a run ends with (at -c, q, Ctrl-C or"
            + " SIGTERM; vnStat -l's): per row its bytes, highest, average and lowest rates and packets, on stderr"
            + " after -t (stdout stays nethogs's trace), the last object of --json, below the top view once it has"
            + " left the screen.")
    boolean noSummary;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "" + CaptureConfig.DEFAULT_SNAP_LENGTH,
            description = "Bytes kept of each frame: headers only. Default: ${DEFAULT-VALUE}.")
    int snapLength;

    @Option(names = "--buffer-size", paramLabel = "MIB", defaultValue = "16",
            description = "Kernel capture buffer in MiB, in total across devices. Default: ${DEFAULT-VALUE}.")
    int bufferMebibytes;

    @Option(names = "--max-flows", paramLabel = "FLOWS", description = "The most flows tracked at once; the bytes"
            + " of flows beyond it are counted as untracked, on their side of their interface (docs/memory.md)."
            + " Default: as many as an eighth of the heap holds, 65536 at least.")
    int maxFlows;

    @Mixin
    HistoryOptions history = new HistoryOptions();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Show the version and exit.")
    boolean version;

    /** The options the node monitor's setup checks, as errors name them. */
    private static final SettingNames NAMES = new SettingNames("--buffer-size", "--kubernetes", "--pod-cidr",
            "--service-cidr");

    private final PrintStream out;
    private final PrintStream err;
    private final HostFiles host;

    public PodhogsCommand(PrintStream out, PrintStream err, HostFiles host) {
        this.out = out;
        this.err = err;
        this.host = host;
    }

    @Override
    public Integer call() throws Exception {
        RowFormat format;
        AccountFilter rowFilter;
        CaptureConfig captureConfig;
        Level level;
        Optional<KubernetesOptions> cluster;
        HistorySettings historySettings;
        Applications applications;
        List<AlertRule> alertRules;
        ClusterSettings clusterSettings;
        DisplayUnits displayUnits;
        PortRanges ranges;
        try {
            format = new RowFormat(ViewMode.of(viewMode), sortBySent, commandLine, basename)
                    .withCommandLines(showSecrets ? CommandLines.FULL : CommandLines.REDACTED);
            rowFilter = filters.filter(pids, new UserNames(host));
            level = Level.parse(by != null ? by : apps.given() ? "app" : "process");
            clusterSettings = new ClusterSettings(kubernetes, Optional.ofNullable(nodeName), podCidrs, serviceCidrs,
                    clusterPodIndex, podGrace);
            cluster = clusterSettings.options(host, NAMES);
            ranges = PortRanges.of(portRanges, host);
            if (!portRanges.isEmpty() && level != Level.PORT) {
                throw new IllegalArgumentException("--port-range names the rows of --by port");
            }
            if (level == Level.INTERFACE && !rowFilter.all()) {
                throw new IllegalArgumentException("--by interface shows devices whole: -P and --match ... --selector"
                        + " choose processes");
            }
            if (cluster.isEmpty() && level.kubernetes()) {
                throw new IllegalArgumentException("--by " + by + " needs Kubernetes, which --kubernetes off leaves out");
            }
            if (cluster.isEmpty() && filters.criteria().kubernetes()) {
                throw new IllegalArgumentException("--namespace and --selector need Kubernetes, which --kubernetes off"
                        + " leaves out");
            }
            // The history records an application level too, and alerts may watch applications: by the
            // rules given, else automatically.
            applications = level == Level.APP || apps.given() || history.wanted() || alerts.wanted()
                    ? apps.applications(new UserNames(host), cluster.isPresent()) : null;
            alertRules = alerts.wanted() ? alerts.rules(new UserNames(host), cluster.isPresent(), history.wanted())
                    : List.of();
            displayUnits = units.units();
            if (units.given() && (json || trace || bughunt)) {
                throw new IllegalArgumentException("--units and --bits are the top view's: the trace keeps nethogs's"
                        + " units, JSON has bytes");
            }
            if (count < 0) {
                throw new IllegalArgumentException("-c must be 0 (unlimited) or more");
            }
            captureConfig = new CaptureSettings(captureMode, devices, allDevices, snapLength, bufferMebibytes,
                    promiscuous, Optional.ofNullable(filter), include, exclude).config(NAMES);
            EngineConfig.checkMaxFlows(maxFlows, "--max-flows");
            historySettings = history.settings();
        } catch (IllegalArgumentException e) {
            return Cli.usageError(err, e.getMessage());
        }
        if (garbageCollectionPeriod != null && garbageCollectionPeriod < 0) {
            return Cli.usageError(err, "-g must be 0 or more refreshes, not " + garbageCollectionPeriod);
        }
        boolean traceMode = trace || bughunt;
        boolean namesWanted = level != Level.PROCESS || json || showContainer || history.wanted() || !rowFilter.all();
        // More refreshes than the engine can count (-g 2147483647 -d 86400): kept for good.
        Duration retention = garbageCollectionPeriod == null ? EngineConfig.DEFAULT_EXITED_RETENTION
                : Spans.times(delay, Math.max(1, garbageCollectionPeriod));
        HistoryOptions.Stop stopHistory = null;
        AlertMonitor alerting = null;
        try (NodeMonitor node = NodeMonitor.open(EngineConfig.of(captureConfig).withRateWindow(window)
                .withExitedRetention(retention).withMaxFlows(maxFlows), cluster, namesWanted, host)) {
            Identities identities = node.identities();
            if ((level.kubernetes() || filters.criteria().kubernetes()) && !identities.hasCluster()) {
                return Cli.usageError(err, (level.kubernetes() ? "--by " + by : "--namespace and --selector")
                        + " need a Kubernetes cluster, and none is configured here"
                        + " (no in-cluster service account, KUBECONFIG or ~/.kube/config)");
            }
            if (history.wanted()) {
                try {
                    stopHistory = history.start(node, historySettings, identities, new UserNames(host), applications);
                } catch (HistoryException e) {
                    err.println("podhogs: " + e.getMessage());
                    return Cli.EXIT_USAGE;
                }
            }
            try {
                node.start();
            } catch (CaptureException e) {
                err.println("podhogs: " + e.getMessage());
                return Cli.EXIT_USAGE;
            }
            RowFormat grouped = format.withGrouping(level, RowSource.of(level, rowFilter, identities, applications,
                    ranges, node.engine()));
            RowFormat rows = showContainer ? grouped.withContainerLabels(identities::label) : grouped;
            Terminal terminal = null;
            if (!json && !traceMode) {
                terminal = TerminalBuilder.builder().system(true).dumb(true).build();
                if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                    terminal.close();
                    err.println("podhogs: the top view needs a terminal; use -t or --json when the output is not one");
                    return Cli.EXIT_USAGE;
                }
            }
            // Alerts on stderr; in the top view on its status line, which stderr would be drawn over.
            AtomicReference<String> lastAlert = new AtomicReference<>("");
            if (!alertRules.isEmpty()) {
                String nodeName = cluster.map(KubernetesOptions::nodeName).orElseGet(() -> clusterSettings.nodeName(host));
                alerting = AlertOptions.start(alertRules, node, nodeName, identities, new UserNames(host), applications,
                        history.file, terminal != null ? lastAlert::set : line -> err.println("podhogs: " + line));
            }
            boolean remoteNames = terminal != null || level == Level.CONNECTION;
            return new ViewRun(out, err, new UserNames(host), identities).run(node, terminal, rows,
                    new ViewRun.Settings(json, delay, count, !noSummary, displayUnits, level, remoteNames, !numeric),
                    lastAlert::get);
        } finally {
            if (alerting != null) {
                alerting.close();
            }
            if (stopHistory != null) {
                stopHistory.run();
            }
        }
    }
}
