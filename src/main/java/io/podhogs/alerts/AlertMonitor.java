package io.podhogs.alerts;

import io.podhogs.apps.Applications;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.identity.IdentityLookup;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Evaluates the alert rules on the engine's snapshots, once every {@code period}, on a thread of
 * its own (the snapshot the engine publishes, never the packet path), and hands the transitions to
 * the {@link AlertNotifier}. The rules and the applications are asked for at each evaluation:
 * the agent's may be replaced while it runs.
 */
public final class AlertMonitor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AlertMonitor.class);
    public static final Duration PERIOD = Duration.ofSeconds(1);

    /** Volume rules read the history this often: it is written every flush interval (30 s) anyway. */
    static final Duration VOLUME_PERIOD = Duration.ofSeconds(15);

    /**
     * What an evaluation reads: the engine's snapshot and the names beside it; the history for
     * volume rules (null where none is recorded: then there are no volume rules).
     */
    public record Inputs(Supplier<EngineSnapshot> snapshots, IdentityLookup identity,
                         Function<String, String> containerNames, IntFunction<String> userNames,
                         Supplier<Applications> applications, VolumeSource volumes) {
    }

    private final Inputs inputs;
    private final Supplier<List<AlertRule>> rules;
    private final AlertNotifier notifier;
    private final AlertEvaluator evaluator = new AlertEvaluator(AlertEvaluator.DEFAULT_MAX_SUBJECTS);
    private final VolumeEvaluator volumes = new VolumeEvaluator();
    private long nextVolumes = System.nanoTime();
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "podhogs-alerts");
        t.setDaemon(true);
        return t;
    });
    private volatile Map<String, Integer> firing = Map.of();
    private volatile long untracked;
    private String failure = "";

    private AlertMonitor(Inputs inputs, Supplier<List<AlertRule>> rules, AlertNotifier notifier, Clock clock) {
        this.inputs = inputs;
        this.rules = rules;
        this.notifier = notifier;
        this.clock = clock;
    }

    public static AlertMonitor start(Inputs inputs, Supplier<List<AlertRule>> rules, AlertNotifier notifier,
                                     Duration period) {
        AlertMonitor m = new AlertMonitor(inputs, rules, notifier, Clock.systemUTC());
        m.thread.scheduleWithFixedDelay(m::evaluate, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return m;
    }

    private void evaluate() {
        // Throwable: an uncaught one would end the scheduled task for good, silently.
        try {
            List<AlertRule> now = rules.get();
            List<AlertRule> rates = now.stream().filter(r -> r.volume() == null).toList();
            AlertSubjects subjects = new AlertSubjects(inputs.snapshots().get(), inputs.identity(),
                    inputs.containerNames(), inputs.userNames(), inputs.applications().get());
            notifier.notify(evaluator.evaluate(rates, System.nanoTime(), clock.instant(), subjects::of));
            if (inputs.volumes() != null && System.nanoTime() - nextVolumes >= 0) {
                nextVolumes = System.nanoTime() + VOLUME_PERIOD.toNanos();
                notifier.notify(volumes.evaluate(now.stream().filter(r -> r.volume() != null).toList(), clock.instant(),
                        inputs.volumes()));
            }
            Map<String, Integer> counts = new HashMap<>();
            for (AlertRule r : now) {
                counts.put(r.name(), r.volume() == null ? evaluator.firing(r.name()) : volumes.firing(r.name()));
            }
            firing = Map.copyOf(counts);
            untracked = evaluator.untracked();
            failure = "";
        } catch (Throwable t) {
            if (!t.toString().equals(failure)) {
                LOG.errorf(t, "alerts: an evaluation failed");
                failure = t.toString();
            }
        }
    }

    /** Each rule's subjects firing now, as of the last evaluation. */
    public Map<String, Integer> firing() {
        return firing;
    }

    /** Subjects left unwatched so far because a rule had its bound of them. */
    public long untracked() {
        return untracked;
    }

    public AlertNotifier notifier() {
        return notifier;
    }

    /** Stops evaluating; the notifier's commands and webhooks stop with it. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notifier.close();
    }
}
