package io.podhogs.agent;

import io.smallrye.config.ConfigMapping;
import io.podhogs.apps.AppRules;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The agent's settings, from application.properties, environment variables (PODHOGS_...) or
 * system properties, as Quarkus reads configuration. Every one has a default that suits a node.
 */
@ConfigMapping(prefix = "podhogs")
public interface AgentConfig {
    /** Devices to capture; empty: every device that is up, and those that come later. */
    Optional<List<String>> interfaces();

    /** Only interfaces whose names match these globs. */
    Optional<List<String>> include();

    /** Leave out interfaces whose names match these globs. */
    Optional<List<String>> exclude();

    /** A BPF filter (tcpdump syntax). */
    Optional<String> filter();

    /** any (one ring on the any device) or per-device. */
    @WithDefault("any")
    String capture();

    @WithDefault("256")
    int snaplen();

    /** The most flows tracked at once; 0: as many as an eighth of the heap holds (docs/memory.md). */
    @WithDefault("0")
    int maxFlows();

    /** The kernel capture buffer in MiB. */
    @WithDefault("16")
    int bufferMib();

    /** Where the host's /proc, /sys and /etc are (in a container: the host's, mounted). */
    @WithDefault("/proc")
    String procRoot();

    @WithDefault("/sys")
    String sysRoot();

    @WithDefault("/etc")
    String etcRoot();

    /** The span of the rates. */
    @WithDefault("2s")
    Duration window();

    /** An exited process keeps its own account (and series) this long after its last bytes. */
    @WithDefault("5m")
    Duration exitedRetention();

    /**
     * Programs and command lines in the API whole; by default an argument that looks like a secret
     * (--password=..., token=..., a URL's password) is shown as &lt;redacted&gt;.
     */
    @WithDefault("false")
    boolean showSecrets();

    Kubernetes kubernetes();

    Select select();

    Apps apps();

    Alerts alerts();

    Names names();

    Metrics metrics();

    Api api();

    History history();

    /**
     * Which processes, containers and pods the metrics and the API show (the command line's --match,
     * --ignore, --user, --container, --namespace and --selector); what they leave out is summed into
     * the podhogs_filtered_* series and a 'filtered' process row. The history records everything.
     * A list's values are separated by commas: a comma in a regular expression is written \,.
     */
    interface Select {
        /** Only processes whose program path or command line matches one of these (Java regular expressions). */
        Optional<List<String>> match();

        /** No process whose program path or command line matches one of these; wins over match. */
        Optional<List<String>> ignore();

        /** Only processes of these users (names in the host's /etc/passwd, or UIDs). */
        Optional<List<String>> users();

        /** Only what is in a container whose name, image or ID matches one of these. */
        Optional<List<String>> containers();

        /** Only what is in pods of these namespaces. */
        Optional<List<String>> namespaces();

        /** Only what is in pods whose labels this selects (app=web,tier!=db,canary,!legacy). */
        Optional<String> selector();
    }

    /**
     * Applications (the API's /api/v1/apps, podhogs_app_* series, kubectl podhogs apps): automatic
     * (a pod's by its label, else its workload; another process by its program's base name), or the
     * rules of a YAML file (README "Applications").
     */
    interface Apps {
        /** The applications file; none: automatic grouping. */
        Optional<String> file();

        /** The pod label whose value names a pod's application in the automatic grouping. */
        @WithDefault(AppRules.DEFAULT_LABEL)
        String label();
    }

    /**
     * The names of connections' remote ends in the API (never in metrics): from DNS answers, read by
     * a handle of its own on port 53, and, off by default on a node, reverse DNS (a query per
     * remote address, to the node's resolver).
     */
    interface Names {
        @WithDefault("true")
        boolean dns();

        @WithDefault("false")
        boolean reverseDns();
    }

    /**
     * Alert rules (README "Alerts"): the {@code alerts:} list of a YAML file, evaluated on this
     * node's traffic, read again when the file changes.
     */
    interface Alerts {
        /** The rules file; none: no alerts. */
        Optional<String> file();

        /**
         * Whether rules may make Kubernetes Events on their pods ({@code event: true}): the chart's
         * agent.alerts.events grants the RBAC (events create) and sets this.
         */
        @WithDefault("false")
        boolean events();
    }

    /** What the agent records of the node's traffic, kept across restarts (podhogs history, /api/v1/history). */
    interface History {
        /** Record (into {@link #file}); false: no history, and /api/v1/history answers 404. */
        @WithDefault("true")
        boolean enabled();

        /** The history file: in the chart, on a hostPath, so that a restart or an upgrade keeps it. */
        @WithDefault("/var/lib/podhogs/history.db")
        String file();

        /** How often what was counted is written (one transaction): what a crash can lose. */
        @WithDefault("30s")
        Duration flushInterval();

        /** Per period and level, the keys kept by name once the period is over; the rest go to 'other'. */
        @WithDefault("50")
        int topKeys();

        /** The file's size budget in MiB: past it the oldest rows go, 5-minute ones first. */
        @WithDefault("64")
        int maxSizeMib();

        /** How long each resolution's rows are kept; 0 for ever. */
        Retention retention();

        interface Retention {
            @WithName("5min")
            @WithDefault("48h")
            Duration fiveMinutes();

            @WithDefault("96h")
            Duration hours();

            @WithDefault("1488h")
            Duration days();

            @WithDefault("18600h")
            Duration months();

            @WithDefault("0s")
            Duration years();
        }
    }

    interface Api {
        /** API requests at work at once; one more is answered 429 with Retry-After. */
        @WithDefault("4")
        int maxConcurrentRequests();
    }

    interface Kubernetes {
        /** auto: the cluster this host is configured for, when there is one; off: never. */
        @WithDefault("auto")
        String mode();

        /** This node's name (the downward API's spec.nodeName); default NODE_NAME, else the host name. */
        Optional<String> nodeName();

        Optional<List<String>> podCidrs();

        Optional<List<String>> serviceCidrs();

        @WithDefault("false")
        boolean clusterPodIndex();

        /** How long a deleted pod keeps its own series and row. */
        @WithDefault("300s")
        Duration podGrace();
    }

    interface Metrics {
        /** Pod labels turned into metric labels (label_NAME), for the pod series only. */
        Optional<List<String>> podLabels();

        /** Per-process series: off by default (one series per process can be many). */
        @WithDefault("false")
        boolean processes();

        /** At most this many process series; what the cap leaves out is counted. */
        @WithDefault("1000")
        int maxProcessSeries();

        /** At most this many application series (podhogs_app_*, the busiest); 0: none. The rest are counted. */
        @WithDefault("100")
        int maxAppSeries();

        /** How often the series are brought up to date with the engine. */
        @WithDefault("1s")
        Duration refresh();

        /**
         * Who may read /metrics from another address than 127.0.0.1: kubernetes, a bearer token that
         * may get /metrics (TokenReview and SubjectAccessReview); none: anyone.
         */
        @WithDefault("kubernetes")
        String auth();

        /** How long a token's answer is kept (allowed or not). */
        @WithDefault("60s")
        Duration authCacheTtl();
    }
}
