package io.podhogs.agent;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.podhogs.capture.CaptureException;
import io.podhogs.capture.CaptureMode;
import io.podhogs.engine.Engine;
import io.podhogs.engine.EngineConfig;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.EngineWatch;
import io.podhogs.engine.Spans;
import io.podhogs.export.Levels;
import io.podhogs.alerts.AlertNotifier;
import io.podhogs.select.AccountFilter;
import io.podhogs.export.api.ApiView;
import io.podhogs.names.RemoteNames;
import io.podhogs.export.metrics.MetricsExporter;
import io.podhogs.export.metrics.MetricsOptions;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.Identities;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.kubernetes.KubernetesOptions;
import io.podhogs.history.HistoryRecorder;
import io.podhogs.history.HistorySettings;
import io.podhogs.node.CaptureSettings;
import io.podhogs.node.ClusterSettings;
import io.podhogs.node.NodeMonitor;
import io.podhogs.node.SettingNames;
import io.podhogs.engine.Connections;
import io.podhogs.export.CommandLines;
import io.podhogs.export.api.Pager;
import io.podhogs.identity.kubernetes.KubernetesIdentity;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Locale;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The node agent: the engine, the container and pod names beside it, and a refresher that brings
 * the Prometheus series up to date with the engine's snapshots. Started by {@code podhogs agent}
 * (or a test), stopped with Quarkus (SIGTERM).
 */
@ApplicationScoped
public class Agent {
    private static final Logger LOG = Logger.getLogger(Agent.class);
    /** What liveness says before the start and after a stop. */
    static final String NOT_STARTED = "not started";
    /** The settings the node monitor's setup checks, as errors name them. */
    private static final SettingNames NAMES = new SettingNames("podhogs.buffer-mib", "podhogs.kubernetes.mode",
            "podhogs.kubernetes.pod-cidrs", "podhogs.kubernetes.service-cidrs");

    @Inject
    AgentConfig config;

    @Inject
    MeterRegistry registry;

    private volatile Engine engine;
    private volatile Identities identities = Identities.none();
    private volatile AccountFilter filter = AccountFilter.ALL;
    private volatile AgentRules rules;
    private volatile long lastRefreshNanos = Long.MIN_VALUE;
    private volatile boolean everRefreshed;
    private volatile ApiView api = new ApiView(CommandLines.REDACTED);
    private volatile RemoteNames names = RemoteNames.NONE;
    private final Pager pager = new Pager(System::nanoTime);
    private ApiGate gate;
    private volatile TokenReviews tokenReviews;
    private AccessMetrics accessMetrics;
    private ScheduledExecutorService refresher;
    private MetricsExporter exporter;
    private volatile EngineWatch watch;
    private volatile Optional<HistoryRecorder> history = Optional.empty();
    /** The engine's trouble as last logged (the refresher thread only). */
    private String engineTroubleSaid = "";
    private final StopWatchdog watchdog = StopWatchdog.forThisProcess();

    /** Runs until Quarkus is asked to stop; 2 when capture cannot start (the message says why). */
    public int runUntilStopped(PrintStream err) {
        // SIGTERM (the kubelet stopping the pod) and SIGINT end the agent as a request, not as a
        // kill: captures closed, exit status 0. Set before starting, so that a signal during the
        // start is one too; a second signal gets the JVM's default (a stop that hangs can be killed).
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            sun.misc.Signal.handle(signal, s -> {
                sun.misc.Signal.handle(signal, sun.misc.SignalHandler.SIG_DFL);
                watchdog.arm(); // whatever hangs in the stop, the process ends within its deadline
                Quarkus.asyncExit(0);
            });
        }
        try {
            start();
        } catch (CaptureException | IllegalArgumentException e) {
            err.println("podhogs: " + e.getMessage());
            return 2;
        }
        Quarkus.waitForExit();
        return 0;
    }

    /** Starts capturing and exporting; a second call does nothing. */
    public synchronized void start() throws CaptureException {
        if (engine != null) {
            return;
        }
        AgentChecks.spans(config); // first: a span too long for the other checks' arithmetic is refused here
        AgentChecks.settings(config);
        gate(); // its setting refused here, before anything starts
        HostFiles host = new HostFiles(Path.of(config.procRoot()), Path.of(config.sysRoot()), Path.of(config.etcRoot()));
        ClusterSettings clusterSettings = clusterSettings();
        Optional<KubernetesOptions> cluster = clusterSettings.options(host, NAMES);
        AccountFilter shown = AgentFilter.of(config.select(), host, cluster.isPresent());
        AgentRules read = AgentRules.read(config, host, cluster.isPresent()); // before the history, which groups by it
        HistorySettings historySettings = AgentHistory.settings(config.history());
        NodeMonitor node = NodeMonitor.open(EngineConfig.of(captureSettings().config(NAMES))
                .withRateWindow(config.window()).withExitedRetention(Spans.saturated(config.exitedRetention()))
                .withMaxFlows(config.maxFlows()), cluster, true, host);
        read.watch();
        history = AgentHistory.start(config.history(), historySettings, node.engine(), node.identities(), host,
                read::applications);
        try {
            node.start();
        } catch (CaptureException e) {
            node.close();
            history.ifPresent(HistoryRecorder::close);
            history = Optional.empty();
            read.close();
            throw e;
        }
        Engine started = node.engine();
        identities = node.identities();
        filter = shown;
        names = RemoteNames.start(config.names().dns(), config.names().reverseDns());
        api = new ApiView(config.showSecrets() ? CommandLines.FULL : CommandLines.REDACTED, names);
        engine = started;
        // Stalled: nothing published for ten refreshes (and at least EngineWatch.MIN_STALL).
        watch = new EngineWatch(started, config.metrics().refresh().multipliedBy(10));
        String nodeName = cluster.map(KubernetesOptions::nodeName).orElseGet(() -> clusterSettings.nodeName(host));
        exporter = new MetricsExporter(registry, new MetricsOptions(nodeName, config.metrics().podLabels().orElse(List.of()),
                config.metrics().processes(), config.metrics().maxProcessSeries(), config.metrics().maxAppSeries()));
        read.start(started, identities, registry, nodeName, podEvents(nodeName));
        rules = read;
        tokenReviews = metricsAuth();
        accessMetrics = new AccessMetrics(registry, nodeName, gate(), pager, () -> tokenReviews, () -> names);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "podhogs-metrics");
            t.setDaemon(true);
            return t;
        });
        long every = config.metrics().refresh().toMillis();
        MetricsExporter exporting = exporter;
        refresher.scheduleWithFixedDelay(() -> refresh(exporting), 0, every, TimeUnit.MILLISECONDS);
        LOG.infof("agent capturing on %s", started.snapshot().captureDescription());
    }

    private void refresh(MetricsExporter exporter) {
        // Throwable: an uncaught one would end the scheduled task for good, silently.
        try {
            String trouble = engineTrouble();
            if (!trouble.isEmpty() && engineTroubleSaid.isEmpty()) {
                LOG.errorf("agent: %s; liveness is down", trouble); // once: the kubelet restarts the pod
            } else if (trouble.isEmpty() && !engineTroubleSaid.isEmpty()) {
                LOG.infof("agent: the engine publishes again");
            }
            engineTroubleSaid = trouble;
            Levels levels = Levels.of(engine.snapshot(), identities, identities::name, filter, rules.applications());
            rules.refreshMetrics();
            boolean exported = attempt("metrics", () -> exporter.update(levels, identities));
            // Connections only from a copy the engine made for someone who asked (it stops 10 s after).
            Connections connections = engine.lastConnections();
            ApiView rows = api;
            boolean listed = attempt("API rows", () -> rows.update(levels, connections, identities, System.nanoTime()));
            if (exported && listed) {
                lastRefreshNanos = System.nanoTime();
                everRefreshed = true;
            }
        } catch (Throwable t) {
            LOG.errorf("agent: the refresh failed: %s", t); // the next one tries again
        }
    }

    private static boolean attempt(String what, Runnable step) {
        try {
            step.run();
            return true;
        } catch (Throwable t) {
            LOG.errorf("agent: bringing the %s up to date failed: %s", what, t);
            return false;
        }
    }

    /** The agent captures on every device but loopback (unless named), never promiscuously. */
    private CaptureSettings captureSettings() {
        CaptureMode mode = CaptureMode.parse(config.capture(), "podhogs.capture");
        return new CaptureSettings(mode, config.interfaces().orElse(List.of()), false, config.snaplen(),
                config.bufferMib(), false, config.filter(), config.include().orElse(List.of()),
                config.exclude().orElse(List.of()));
    }

    private ClusterSettings clusterSettings() {
        AgentConfig.Kubernetes k = config.kubernetes();
        return new ClusterSettings(k.mode(), k.nodeName(), k.podCidrs().orElse(List.of()),
                k.serviceCidrs().orElse(List.of()), k.clusterPodIndex(), k.podGrace());
    }

    /**
     * What checks the tokens of /metrics from other addresses than 127.0.0.1: on the cluster this host
     * is configured for (the pod's service account), whether or not pods are named; without one, null.
     */
    private TokenReviews metricsAuth() {
        if (config.metrics().auth().equals("none")) {
            LOG.warn("agent: /metrics is open to anyone who reaches the port (podhogs.metrics.auth=none)");
            return null;
        }
        if (!KubernetesIdentity.configured()) {
            LOG.info("agent: no Kubernetes API to check tokens with: /metrics answers 127.0.0.1 only"
                    + " (podhogs.metrics.auth=none opens it)");
            return null;
        }
        Config k = Config.autoConfigure(null);
        k.setRequestTimeout(5_000);
        k.setConnectionTimeout(5_000);
        k.setRequestRetryBackoffLimit(0); // a scrape waits for no retries: it is tried again anyway
        // Vert.x's client, named: kubectl podhogs brings the JDK's, which fabric8 would otherwise rank first.
        return new TokenReviews(new KubernetesClientBuilder().withHttpClientFactory(new VertxHttpClientFactory())
                .withConfig(k).build(), config.metrics().authCacheTtl(),
                System::nanoTime);
    }

    /** The alerts' Kubernetes Events, when rules may make them and there is an API server; else null. */
    private AlertNotifier.EventSink podEvents(String nodeName) {
        if (!config.alerts().events() || !KubernetesIdentity.configured()) {
            return null;
        }
        Config k = Config.autoConfigure(null);
        k.setRequestTimeout(5_000);
        k.setConnectionTimeout(5_000);
        return new PodEvents(new KubernetesClientBuilder().withHttpClientFactory(new VertxHttpClientFactory())
                .withConfig(k).build(), nodeName);
    }

    /** The tokens' checker of /metrics, or null (auth off, no cluster, not started). */
    TokenReviews tokenReviews() {
        return tokenReviews;
    }

    /** The engine's last snapshot, once started. */
    public Optional<EngineSnapshot> snapshot() {
        Engine e = engine;
        return e == null ? Optional.empty() : Optional.ofNullable(e.snapshot());
    }

    /** The API's pages and their pinned lists. */
    public Pager pager() {
        return pager;
    }

    /** How many API requests are let in at once. */
    synchronized ApiGate gate() {
        if (gate == null) {
            gate = new ApiGate(config.api().maxConcurrentRequests());
        }
        return gate;
    }

    /** The rows the JSON API serves, as of the last refresh. */
    public ApiView api() {
        return api;
    }

    /**
     * The API's rows with connections no older than two seconds: the engine copies its flows only
     * while someone asks, so the first ask waits for the next copy (up to 3 s).
     */
    public ApiView.Snapshot withConnections() {
        Engine e = engine;
        if (e == null) {
            return api.current();
        }
        e.connections();
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (stale(api.current().connectionsNanos()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return api.current();
    }

    /** Never copied (Long.MIN_VALUE: no subtraction, which would wrap), or copied over 2 s ago. */
    private static boolean stale(long copiedNanos) {
        return copiedNanos == Long.MIN_VALUE || System.nanoTime() - copiedNanos > 2_000_000_000L;
    }

    public IdentityLookup identity() {
        return identities;
    }

    /**
     * Why the engine counts no more (its thread ended, or it published nothing for ten refreshes):
     * liveness; empty while it counts. Before the start (or after a stop) it is not counting either.
     */
    public String engineTrouble() {
        EngineWatch w = watch;
        return w == null ? NOT_STARTED : w.trouble(System.nanoTime());
    }

    /**
     * Which capture handle does not run or does not take frames (see the capture's StallWatch),
     * and why: liveness; empty while every one does.
     */
    public String captureTrouble() {
        Optional<EngineSnapshot> s = snapshot();
        if (s.isEmpty()) {
            return NOT_STARTED;
        }
        return Stream.concat(s.get().captures().stream(), s.get().helperCaptures().stream())
                .filter(c -> !c.running())
                .map(c -> "capture on " + c.name() + ": " + c.error())
                .findFirst().orElse("");
    }

    /**
     * The series were brought up to date lately (within ten refresh periods, and at least once): a
     * scrape shows what podhogs counted, not a refresher that stopped.
     */
    public boolean ready() {
        long period = Math.max(1_000_000_000L, config.metrics().refresh().toNanos());
        return everRefreshed && System.nanoTime() - lastRefreshNanos < 10 * period;
    }

    void stop(@Observes(notifyObserver = jakarta.enterprise.event.Reception.IF_EXISTS) ShutdownEvent event) {
        watchdog.step("stopping the agent");
        close();
    }

    /**
     * Stops exporting and capturing and removes podhogs's series; {@link #start()} may follow.
     * Every step is bounded: one that hangs is left behind (with a log line) so that the process
     * can end, and the stop watchdog says which step the stop was in should the whole hang.
     */
    public synchronized void close() {
        watch = null;
        if (refresher != null) {
            watchdog.step("stopping the metrics refresher");
            refresher.shutdownNow();
            try {
                refresher.awaitTermination(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            refresher = null;
        }
        if (exporter != null) {
            watchdog.step("removing the series");
            exporter.close();
            exporter = null;
        }
        if (rules != null) {
            rules.close();
            rules = null;
        }
        if (accessMetrics != null) {
            accessMetrics.close();
            accessMetrics = null;
        }
        if (tokenReviews != null) {
            tokenReviews.close();
            tokenReviews = null;
        }
        if (engine != null) {
            Engine stopping = engine;
            bounded("stopping the capture and the engine", STOP_ENGINE_MILLIS, stopping::close);
            engine = null;
        }
        // After the engine: its last bytes are in the history's last flush.
        history.ifPresent(h -> bounded("writing the history", STOP_HISTORY_MILLIS, h::close));
        history = Optional.empty();
        RemoteNames naming = names;
        bounded("stopping the names' handle", STOP_WATCHES_MILLIS, naming::close);
        names = RemoteNames.NONE;
        Identities closing = identities;
        bounded("closing the container and cluster watches", STOP_WATCHES_MILLIS, closing::close);
        identities = Identities.none();
        everRefreshed = false;
        watchdog.step("stopping Quarkus");
    }

    /*
     * Together with Quarkus's own stop, well inside the watchdog's 4 s. What is left behind ends
     * with the process: a capture handle's socket, a watch's connection.
     */
    /** The engine's stop: its captures' handles and its last cycle (a busy one can take seconds). */
    private static final long STOP_ENGINE_MILLIS = 1500;
    /** The history's last flush: one transaction on a local file. */
    private static final long STOP_HISTORY_MILLIS = 1000;
    /** Kubernetes watches and the Docker client: network peers that may not answer. */
    private static final long STOP_WATCHES_MILLIS = 500;

    /** Runs a step of the stop on a thread of its own, waiting {@code millis} at most for it. */
    private void bounded(String step, long millis, Runnable body) {
        watchdog.step(step);
        Thread t = new Thread(body, "podhogs-stop");
        t.setDaemon(true);
        t.start();
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warnf("stopping: %s did not finish within %d ms; going on without it", step, millis);
        }
    }
}
