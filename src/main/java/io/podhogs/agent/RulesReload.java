package io.podhogs.agent;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.podhogs.host.FileWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A rules file of the agent (podhogs.apps.file, podhogs.alerts.file) read again when it changes,
 * as a ConfigMap's update changes it: a good new version is handed on and used from the agent's
 * next refresh or evaluation; a bad one is refused with a warning naming its line, the last good
 * version staying in force ({@code podhogs_<what>_file_stale} is 1 until a good one comes). The
 * agent's start refused a bad file outright; only later versions are kept out this way.
 *
 * @param <T> what the file is read into
 */
final class RulesReload<T> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RulesReload.class);
    /** How often the file is looked at besides inotify's word (a stat: nothing to speak of). */
    static final Duration POLL = Duration.ofSeconds(10);

    private final String what;
    private final String series;
    private final Path file;
    private final Supplier<T> read;
    private final Consumer<T> use;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final List<Meter> meters = new ArrayList<>();
    private volatile boolean stale;
    private volatile String refusal = "";
    private FileWatch watch;
    private MeterRegistry registry;

    private RulesReload(String what, String series, Path file, Supplier<T> read, Consumer<T> use) {
        this.what = what;
        this.series = series;
        this.file = file;
        this.read = read;
        this.use = use;
    }

    /**
     * Watches {@code file}, started right after its first reading, so that a change from then on is
     * seen.
     *
     * @param what what the file holds, in messages and the thread's name: "apps", "alerts"
     * @param series the series' prefix: "podhogs.apps.file" makes podhogs_apps_file_stale and
     *     podhogs_apps_file_reloads_total
     * @param read reads the file as the start did; an IllegalArgumentException says why it cannot be used
     * @param use takes each good new version
     */
    static <T> RulesReload<T> start(String what, String series, Path file, Supplier<T> read, Consumer<T> use) {
        RulesReload<T> reload = new RulesReload<>(what, series, file, read, use);
        reload.watch = FileWatch.start(file, POLL, reload::changed, "podhogs-" + what + "-watch");
        return reload;
    }

    private void changed() {
        try {
            use.accept(read.get());
            applied.incrementAndGet();
            stale = false;
            refusal = "";
            LOG.infof("agent: %s changed: used from now on", file);
        } catch (IllegalArgumentException e) {
            refused.incrementAndGet();
            stale = true;
            if (!e.getMessage().equals(refusal)) { // once per problem, not every poll of a file left bad
                LOG.warnf("agent: %s; the version read before stays in force until the file is mended",
                        e.getMessage());
                refusal = e.getMessage();
            }
        }
    }

    /** Whether the file on disk is a version the agent refused (the last good one in force). */
    boolean stale() {
        return stale;
    }

    /** The reloads' series: podhogs_WHAT_file_stale and podhogs_WHAT_file_reloads_total{result}. */
    void register(MeterRegistry to, String node) {
        registry = to;
        meters.add(Gauge.builder(series + ".stale", this, r -> r.stale ? 1 : 0)
                .description("1 while the " + what + " file on disk is a version the agent refused: the last good"
                        + " one is in force (the log says why)").tag("node", node).register(to));
        String help = "New versions of the " + what + " file read while the agent runs, by result";
        meters.add(FunctionCounter.builder(series + ".reloads", applied, AtomicLong::get).description(help)
                .tags("result", "applied", "node", node).register(to));
        meters.add(FunctionCounter.builder(series + ".reloads", refused, AtomicLong::get).description(help)
                .tags("result", "refused", "node", node).register(to));
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
