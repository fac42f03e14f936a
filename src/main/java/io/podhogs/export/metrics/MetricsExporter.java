package io.podhogs.export.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.podhogs.accounting.AccountKind;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ContainerKey;
import io.podhogs.accounting.FilteredKey;
import io.podhogs.accounting.NamespaceKey;
import io.podhogs.accounting.PodKey;
import io.podhogs.accounting.RemoteClassTraffic;
import io.podhogs.accounting.Traffic;
import io.podhogs.accounting.WorkloadKey;
import io.podhogs.attribution.AttributionLatency;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.export.Levels;
import io.podhogs.export.PodFields;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.RemoteClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prometheus series from engine snapshots, named podhogs_* (never cAdvisor's own names, which would
 * collide on the same scrape) and shaped like cAdvisor's
 * {@code container_network_transmit_bytes_total}: counters of bytes and packets, transmit and
 * receive, per pod, container, namespace, workload and interface, and per pod and remote class.
 * Namespace and workload counters are sums that include their deleted pods' retired totals, so
 * they never go down when a pod goes. Per-process series are opt-in and capped.
 */
public final class MetricsExporter {
    private static final String[] DIRECTIONS = {"transmit", "receive"};
    private static final String[] REJECT_REASONS = {"truncated", "malformed", "failed"};

    private final Series series;
    private final MetricsOptions options;
    private final AppCounters appCounters = new AppCounters();

    public MetricsExporter(MeterRegistry registry, MetricsOptions options) {
        this.series = new Series(registry);
        this.options = options;
    }

    /** Brings every series up to date with one refresh's levels. */
    public void update(Levels levels, IdentityLookup identity) {
        series.beginRefresh();
        String node = options.node();
        for (AccountSnapshot a : levels.pods()) {
            if (a.key() instanceof PodKey p && !p.namespace().isEmpty()) {
                String[] tags = podTags(a, p, identity, node);
                traffic("pod", p.uid(), a.total(), tags);
                for (Map.Entry<RemoteClass, RemoteClassTraffic> c : a.byRemoteClass().entrySet()) {
                    traffic("pod.remote", p.uid(), c.getValue().total(), append(tags, "remote_class", c.getKey().label()));
                }
            }
        }
        for (AccountSnapshot a : levels.containers()) {
            if (a.key() instanceof ContainerKey c) {
                PodFields pod = PodFields.of(a, identity);
                String name = pod.container().isEmpty() ? c.name() : pod.container();
                traffic("container", c.cgroup().containerId(), a.total(), "namespace", pod.namespace(), "pod",
                        pod.pod(), "container", name, "node", node);
            }
        }
        for (AccountSnapshot a : levels.namespaces()) {
            if (a.key() instanceof NamespaceKey n) {
                traffic("namespace", n, a.total(), "namespace", n.namespace(), "node", node);
            }
        }
        for (AccountSnapshot a : levels.workloads()) {
            if (a.key() instanceof WorkloadKey w) {
                traffic("workload", w, a.total(), "namespace", w.namespace(), "workload_kind", w.workload().kind(),
                        "workload", w.workload().name(), "node", node);
            }
        }
        if (levels.filtered() != null) {
            // What the agent's filter (podhogs.select.*) leaves out of the series above: still counted.
            traffic("filtered", FilteredKey.INSTANCE, levels.filtered().total(), "node", node);
        }
        EngineSnapshot snapshot = levels.snapshot();
        levels.interfaces().forEach((i, t) -> traffic("interface", i, t, "interface", snapshot.interfaceName(i), "node", node));
        if (options.processes()) {
            processes(levels.processes(), identity, node);
        }
        if (!levels.appMembers().isEmpty() || appCounters.remembered() > 0) {
            apps(levels, node);
        }
        self(snapshot, node);
        series.endRefresh();
    }

    /** Removes every series this exporter made. */
    public void close() {
        series.clear();
    }

    private String[] podTags(AccountSnapshot a, PodKey p, IdentityLookup identity, String node) {
        Map<String, String> labels = PodFields.of(a, identity).labels();
        List<String> tags = new ArrayList<>(List.of("namespace", p.namespace(), "pod", p.podName(), "node", node,
                "workload_kind", p.workload() == null ? "" : p.workload().kind(),
                "workload", p.workload() == null ? "" : p.workload().name()));
        for (String label : options.podLabels()) {
            tags.add("label_" + sanitize(label));
            tags.add(labels.getOrDefault(label, ""));
        }
        return tags.toArray(String[]::new);
    }

    /** Prometheus label names: letters, digits and underscores ("app.kubernetes.io/name" -> "app_kubernetes_io_name"). */
    static String sanitize(String label) {
        return label.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
    }

    private static String[] append(String[] tags, String... more) {
        String[] all = new String[tags.length + more.length];
        System.arraycopy(tags, 0, all, 0, tags.length);
        System.arraycopy(more, 0, all, tags.length, more.length);
        return all;
    }

    /** podhogs_LEVEL_network_{transmit,receive}_{bytes,packets}_total, fed by {@code contributor}'s totals. */
    private void traffic(String level, Object contributor, Traffic t, String... tags) {
        String prefix = "podhogs." + level + ".network.";
        long[][] values = {{t.sentBytes(), t.sentPackets()}, {t.receivedBytes(), t.receivedPackets()}};
        for (int d = 0; d < 2; d++) {
            String per = (d == 0 ? " sent, per " : " received, per ") + level.replace(".remote", " and remote class");
            series.counter(prefix + DIRECTIONS[d] + ".bytes", "Bytes" + per, contributor, values[d][0], tags);
            series.counter(prefix + DIRECTIONS[d] + ".packets", "Packets" + per, contributor, values[d][1], tags);
        }
    }

    private void processes(List<AccountSnapshot> all, IdentityLookup identity, String node) {
        List<AccountSnapshot> processes = new ArrayList<>(all);
        // The busiest keep their series when there are more than the cap.
        processes.sort(Comparator.comparingLong((AccountSnapshot a) -> a.sentBytes() + a.receivedBytes()).reversed());
        int shown = Math.min(processes.size(), options.maxProcessSeries());
        for (AccountSnapshot a : processes.subList(0, shown)) {
            PodFields pod = PodFields.of(a, identity);
            traffic("process", a.key(), a.total(), "pid", Integer.toString(a.pid()), "program", a.program(), "namespace",
                    pod.namespace(), "pod", pod.pod(), "container", pod.container(), "node", node);
        }
        series.gauge("podhogs.process.series.dropped", "Processes left without a series by the cap"
                + " (podhogs.metrics.max-process-series)", processes.size() - shown, "node", node);
    }

    /**
     * podhogs_app_network_*{app}: the busiest applications (podhogs.metrics.max-app-series), each a
     * counter that never goes down ({@link AppCounters}); the others counted in a gauge.
     */
    private void apps(Levels levels, String node) {
        Map<String, Traffic> totals = appCounters.update(levels.appMembers());
        List<Map.Entry<String, Traffic>> apps = new ArrayList<>(totals.entrySet());
        apps.sort(Comparator.comparingLong((Map.Entry<String, Traffic> e) -> e.getValue().sentBytes()
                + e.getValue().receivedBytes()).reversed().thenComparing(Map.Entry::getKey));
        int shown = Math.min(apps.size(), options.maxAppSeries());
        java.util.Set<String> exported = new java.util.HashSet<>();
        for (Map.Entry<String, Traffic> app : apps.subList(0, shown)) {
            traffic("app", "app/" + app.getKey(), app.getValue(), "app", app.getKey(), "node", node);
            exported.add(app.getKey());
        }
        appCounters.keepOnly(exported);
        series.gauge("podhogs.app.series.dropped", "Applications left without a series by the cap"
                + " (podhogs.metrics.max-app-series)", apps.size() - shown, "node", node);
    }

    /** A process's bytes, by whether its connections' owners were found (exact) or inferred. */
    private void attributed(AccountSnapshot a, String node) {
        String help = "Bytes credited to processes: found by their sockets (exact), or inferred for sockets gone"
                + " before they could be looked up";
        long[][] values = {{a.sentBytes() - a.inferredSentBytes(), a.inferredSentBytes()},
                {a.receivedBytes() - a.inferredReceivedBytes(), a.inferredReceivedBytes()}};
        for (int d = 0; d < 2; d++) {
            series.counter("podhogs.attributed.bytes", help, a.key(), values[d][0], "how", "exact", "direction",
                    DIRECTIONS[d], "node", node);
            series.counter("podhogs.attributed.bytes", help, a.key(), values[d][1], "how", "inferred", "direction",
                    DIRECTIONS[d], "node", node);
        }
    }

    /**
     * The attribution latency as a Prometheus histogram's series (cumulative buckets by {@code le},
     * the sum and the count), each a gauge that only grows: histogram_quantile() over their rate()
     * gives the quantiles.
     */
    private void latency(AttributionLatency.Histogram h, String node) {
        String help = "Flows whose process was known within le seconds of their first packet";
        long[] bounds = AttributionLatency.Histogram.boundsMillis();
        for (int b = 0; b < bounds.length; b++) {
            series.gauge("podhogs.attribution.latency.seconds.bucket", help, h.atMost(b), "le",
                    Double.toString(bounds[b] / 1000.0), "node", node);
        }
        series.gauge("podhogs.attribution.latency.seconds.bucket", help, h.count(), "le", "+Inf", "node", node);
        series.gauge("podhogs.attribution.latency.seconds.sum", "Seconds flows waited for their process, summed",
                h.sumNanos() / 1e9, "node", node);
        series.gauge("podhogs.attribution.latency.seconds.count", "Flows whose process was found or inferred",
                h.count(), "node", node);
    }

    private void self(EngineSnapshot s, String node) {
        for (CaptureStatus c : s.captures()) {
            series.counter("podhogs.capture.frames", "Frames that reached podhogs", c.name(), c.frames(), "capture",
                    c.name(), "node", node);
            series.counter("podhogs.capture.bytes", "Bytes of the frames that reached podhogs", c.name(), c.bytes(),
                    "capture", c.name(), "node", node);
            series.counter("podhogs.capture.kernel.drops", "Frames the kernel dropped before podhogs read them",
                    c.name(), c.kernelDrops(), "capture", c.name(), "node", node);
            long[] rejected = {c.truncated(), c.malformed(), c.failed()};
            for (int r = 0; r < REJECT_REASONS.length; r++) {
                series.counter("podhogs.capture.rejected.frames", "Frames counted without all their detail: cut by"
                        + " the snap length (truncated), malformed, or not counted at all (failed)", c.name(),
                        rejected[r], "capture", c.name(), "reason", REJECT_REASONS[r], "node", node);
            }
        }
        List<CaptureStatus> every = new ArrayList<>(s.captures());
        every.addAll(s.helperCaptures());
        for (CaptureStatus c : every) {
            series.gauge("podhogs.capture.running", "1 while the capture's thread runs and takes frames", c.running() ? 1 : 0,
                    "capture", c.name(), "node", node);
            series.counter("podhogs.capture.restarts", "Times the capture was reopened after its thread ended",
                    c.name(), c.restarts(), "capture", c.name(), "node", node);
        }
        // Each bucket feeds the sums on its own: one retired with a deleted pod keeps what it gave.
        for (AccountSnapshot a : s.accounts()) {
            AccountKind kind = a.key().kind();
            String name = kind == AccountKind.UNTRACKED ? "podhogs.untracked.bytes"
                    : kind == AccountKind.UNKNOWN ? "podhogs.unknown.bytes" : kind.transit() ? "podhogs.forwarded.bytes" : null;
            if (name != null) {
                String help = name.contains("untracked") ? "Bytes of flows beyond the flow table's bound"
                        : name.contains("unknown") ? "Bytes no socket was found for"
                        : "Bytes the host relayed or tunnelled, no socket's here";
                series.counter(name, help, a.key(), a.sentBytes(), "direction", DIRECTIONS[0], "node", node);
                series.counter(name, help, a.key(), a.receivedBytes(), "direction", DIRECTIONS[1], "node", node);
            } else if (kind == AccountKind.PROCESS || kind == AccountKind.EXITED_PROCESSES
                    || kind == AccountKind.DELETED_PODS) {
                attributed(a, node);
            }
        }
        latency(s.resolver().attributionLatency(), node);
        series.gauge("podhogs.flows.tracked", "Flows in the flow table", s.flows(), "node", node);
        series.gauge("podhogs.flows.max", "The most flows tracked at once (podhogs.max-flows)", s.maxFlows(), "node", node);
        series.counter("podhogs.flows.untracked.packets", "Packets of flows beyond the flow table's bound, counted"
                + " as untracked", "flows", s.overflowPackets(), "node", node);
        series.counter("podhogs.lookups.skipped", "New flows counted as unknown without a lookup: the lookup"
                + " queue was full", "skipped", s.resolver().lookupsSkipped(), "node", node);
        series.counter("podhogs.lookups.expired", "Flows counted as unknown after waiting the longest a lookup"
                + " may", "expired", s.resolver().lookupsExpired(), "node", node);
        series.counter("podhogs.lookups.retries.dropped", "Unknown flows no more looked for: the retry list was"
                + " full", "retries", s.resolver().retriesDropped(), "node", node);
        series.counter("podhogs.netns.lookups.dropped", "Pod namespaces whose socket tables were read because the"
                + " most exact lookups were open", "netns", s.resolver().namespaceLookupsDropped(), "node", node);
        series.gauge("podhogs.conntrack.dropped", "Translated connections the last conntrack read left out",
                s.resolver().natDropped(), "node", node);
        series.gauge("podhogs.socket.table.read.seconds", "Duration of the last read of the host's socket table",
                s.resolver().lastSocketReadNanos() / 1e9, "node", node);
        series.gauge("podhogs.fd.scan.seconds", "Duration of the last scan of processes' sockets",
                s.resolver().lastFdScanNanos() / 1e9, "node", node);
        series.gauge("podhogs.network.namespaces", "Network namespaces seen", s.resolver().namespaces(), "node", node);
        series.gauge("podhogs.series", "Series podhogs exports", series.size(), "node", node);
    }
}
