package io.podhogs.agent;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.podhogs.alerts.AlertMonitor;
import io.podhogs.alerts.AlertNotifier;
import io.podhogs.alerts.AlertRule;
import io.podhogs.alerts.AlertRulesFile;
import io.podhogs.alerts.VolumeSource;
import io.podhogs.apps.Applications;
import io.podhogs.engine.Engine;
import io.podhogs.export.UserNames;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.Identities;
import io.podhogs.select.RulesFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The agent's rules files: its applications (podhogs.apps.*) and its alerts (podhogs.alerts.*),
 * read at the start (a bad file stops it there), read again when they change ({@link RulesReload}),
 * and the alerts evaluated on the engine's snapshots ({@link AlertMonitor}), with their series.
 */
final class AgentRules implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentRules.class);
    /** podhogs_apps_file_stale, podhogs_apps_file_reloads_total. */
    private static final String APPS_SERIES = "podhogs.apps.file";
    /** podhogs_alerts_file_stale, podhogs_alerts_file_reloads_total. */
    private static final String ALERTS_SERIES = "podhogs.alerts.file";

    private final AgentConfig config;
    private final HostFiles host;
    private final boolean kubernetes;
    private volatile Applications applications;
    private volatile List<AlertRule> alerts;
    private final List<RulesReload<?>> reloads = new ArrayList<>();
    private final List<Meter> meters = new ArrayList<>();
    private final Map<AlertNotifier.Count, Meter> actionCounters = new HashMap<>();
    private AlertMonitor monitor;
    private MultiGauge firing;
    private MeterRegistry registry;
    private String node = "";

    private AgentRules(AgentConfig config, HostFiles host, boolean kubernetes) {
        this.config = config;
        this.host = host;
        this.kubernetes = kubernetes;
        this.applications = AgentApps.of(config.apps(), host, kubernetes);
        this.alerts = readAlerts();
    }

    /**
     * Reads both files; an IllegalArgumentException names the setting, the file, the line and the
     * problem.
     *
     * @param kubernetes whether a cluster may be used (pods, namespaces and selectors need one)
     */
    static AgentRules read(AgentConfig config, HostFiles host, boolean kubernetes) {
        return new AgentRules(config, host, kubernetes);
    }

    private List<AlertRule> readAlerts() {
        Optional<String> file = config.alerts().file().filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            return List.of();
        }
        List<AlertRule> rules;
        try {
            rules = AlertRulesFile.read(Path.of(file.get()), new UserNames(host)::uid, kubernetes, true);
        } catch (RulesFileException e) {
            throw new IllegalArgumentException("podhogs.alerts.file: " + e.getMessage());
        }
        for (AlertRule r : rules) {
            if (r.volume() != null && !config.history().enabled()) {
                throw new IllegalArgumentException("podhogs.alerts.file: " + file.get() + ":" + r.line() + ": alert '"
                        + r.name() + "' counts the bytes of a " + r.volume().periodWord() + " from the history, which"
                        + " podhogs.history.enabled=false turns off");
            }
            if (r.actions().event() && !config.alerts().events()) {
                throw new IllegalArgumentException("podhogs.alerts.file: " + file.get() + ":" + r.line() + ": alert '"
                        + r.name() + "' makes Kubernetes Events, which podhogs.alerts.events=false does not allow (the"
                        + " chart's agent.alerts.events grants the RBAC and sets it)");
            }
        }
        return rules;
    }

    /** The applications as they are now: the metrics, the API and the history group by them. */
    Applications applications() {
        return applications;
    }

    /** Watches both files for new versions; call once the node monitor is open. */
    void watch() {
        config.apps().file().filter(f -> !f.isBlank()).ifPresent(f -> reloads.add(RulesReload.start("apps", APPS_SERIES, Path.of(f),
                () -> AgentApps.of(config.apps(), host, kubernetes), changed -> applications = changed)));
        config.alerts().file().filter(f -> !f.isBlank()).ifPresent(f -> reloads.add(RulesReload.start("alerts",
                ALERTS_SERIES, Path.of(f), this::readAlerts, changed -> alerts = changed)));
    }

    /**
     * Starts evaluating the alerts (when there is a file; its rules may be none later) on what
     * {@code engine} counts, with their series.
     *
     * @param events the Kubernetes Events of rules that ask for them; null without a cluster
     */
    void start(Engine engine, Identities identities, MeterRegistry to, String nodeName, AlertNotifier.EventSink events) {
        registry = to;
        node = nodeName;
        for (RulesReload<?> r : reloads) {
            r.register(to, nodeName);
        }
        if (config.alerts().file().filter(f -> !f.isBlank()).isEmpty()) {
            return;
        }
        UserNames users = new UserNames(host);
        AlertNotifier notifier = new AlertNotifier(LOG::info, nodeName, events, 1_000);
        monitor = AlertMonitor.start(new AlertMonitor.Inputs(engine::snapshot, identities, identities::name,
                users::name, this::applications, config.history().enabled()
                ? VolumeSource.history(Path.of(config.history().file())) : null), () -> alerts, notifier,
                AlertMonitor.PERIOD);
        firing = MultiGauge.builder("podhogs.alerts.firing").description("Subjects (processes, applications,"
                + " containers, pods, namespaces) each alert rule fires for on this node now").register(to);
        meters.add(FunctionCounter.builder("podhogs.alerts.untracked", monitor, AlertMonitor::untracked)
                .description("Subjects an alert rule left unwatched because it watched its bound of them already")
                .tag("node", nodeName).register(to));
        LOG.infof("agent: evaluating %d alert rules from %s", alerts.size(), config.alerts().file().get());
    }

    /** The alerts' series as of the last evaluation (the metrics refresh calls it). */
    void refreshMetrics() {
        if (monitor == null) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        monitor.firing().forEach((alert, n) -> rows.add(MultiGauge.Row.of(Tags.of("alert", alert, "node", node), n)));
        firing.register(rows, true);
        // Bounded: rules (at most 1,000) x actions (3) x results (4).
        monitor.notifier().counts().forEach((count, n) -> actionCounters.computeIfAbsent(count, c ->
                FunctionCounter.builder("podhogs.alert.actions", monitor.notifier(), x -> x.count(c))
                        .description("What alerts' actions did: ok, failed, timeout (a command killed), dropped (a"
                                + " queue full)")
                        .tags("alert", c.alert(), "action", c.action(), "result", c.result(), "node", node)
                        .register(registry)));
    }

    @Override
    public void close() {
        reloads.forEach(RulesReload::close);
        reloads.clear();
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
        if (registry != null) {
            meters.forEach(registry::remove);
            actionCounters.values().forEach(registry::remove);
            if (firing != null) {
                firing.register(List.of(), true);
            }
        }
        meters.clear();
        actionCounters.clear();
    }
}
