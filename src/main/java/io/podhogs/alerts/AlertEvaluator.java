package io.podhogs.alerts;

import io.podhogs.accounting.Traffic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The alerts' states, and their transitions at each evaluation: a subject fires once its average
 * over the rule's window passes {@code above} (and no cooldown holds it), and resolves once its
 * average has stayed below {@code clear_below} for {@code clear_after}, or once it is gone; each
 * transition is one {@link AlertEvent}. No clock of its own and no I/O: the tests drive it.
 *
 * <p>Bounded: at most {@code maxSubjects} subjects are watched per rule (the rest are counted in
 * {@link #untracked()}, and watched once there is room), and a subject no longer there is
 * forgotten (resolved first if it fired). States are kept by rule name across a new version of
 * the rules; a rule no longer there resolves what it had firing.
 */
public final class AlertEvaluator {
    /** Subjects watched per rule: a node's processes, containers or pods, with room. */
    public static final int DEFAULT_MAX_SUBJECTS = 10_000;

    /** One subject as an evaluation sees it: its key (stable while it lives), names and total bytes. */
    public record Subject(Object key, AlertSubject subject, Traffic total) {
    }

    /** One watched subject: its bytes over time and its alert's state. */
    private static final class Watched {
        final RateSeries series = new RateSeries();
        AlertSubject subject;
        Instant firedAt;
        long belowSince = Long.MIN_VALUE;
        long quietUntil = Long.MIN_VALUE;
        boolean hasQuiet;
    }

    private final int maxSubjects;
    private final Map<String, Map<Object, Watched>> byRule = new LinkedHashMap<>();
    private final Map<String, AlertRule> rules = new HashMap<>();
    private long untracked;

    public AlertEvaluator(int maxSubjects) {
        this.maxSubjects = maxSubjects;
    }

    /**
     * One evaluation.
     *
     * @param nanos a monotonic clock's now (System.nanoTime)
     * @param now the wall clock's now, for the events' times
     * @param subjects each rule's subjects now
     * @return the transitions, firing and resolved, in the rules' order
     */
    public List<AlertEvent> evaluate(List<AlertRule> now, long nanos, Instant wall,
                                     Function<AlertRule, List<Subject>> subjects) {
        List<AlertEvent> events = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AlertRule rule : now) {
            names.add(rule.name());
            rules.put(rule.name(), rule);
            evaluate(rule, nanos, wall, subjects.apply(rule), events);
        }
        for (Iterator<Map.Entry<String, Map<Object, Watched>>> it = byRule.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Map<Object, Watched>> e = it.next();
            if (!names.contains(e.getKey())) {
                AlertRule gone = rules.remove(e.getKey());
                for (Watched w : e.getValue().values()) {
                    if (w.firedAt != null) {
                        events.add(new AlertEvent(gone, AlertEvent.Status.RESOLVED, w.subject, Double.NaN, w.firedAt,
                                wall, "rule removed"));
                    }
                }
                it.remove();
            }
        }
        return events;
    }

    private void evaluate(AlertRule rule, long nanos, Instant wall, List<Subject> subjects, List<AlertEvent> events) {
        Map<Object, Watched> watched = byRule.computeIfAbsent(rule.name(), n -> new HashMap<>());
        long window = rule.window().toNanos();
        long spacing = Math.max(1, window / (RateSeries.SAMPLES - 4));
        Set<Object> seen = new HashSet<>();
        for (Subject s : subjects) {
            Watched w = watched.get(s.key());
            if (w == null) {
                if (watched.size() >= maxSubjects) {
                    untracked++;
                    continue;
                }
                w = new Watched();
                watched.put(s.key(), w);
            }
            seen.add(s.key());
            w.subject = s.subject();
            w.series.add(nanos, rule.direction().of(s.total()), spacing);
            step(rule, w, w.series.rate(window), nanos, wall, events);
        }
        for (Iterator<Map.Entry<Object, Watched>> it = watched.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, Watched> e = it.next();
            if (!seen.contains(e.getKey())) {
                Watched w = e.getValue();
                if (w.firedAt != null) {
                    events.add(new AlertEvent(rule, AlertEvent.Status.RESOLVED, w.subject, Double.NaN, w.firedAt, wall,
                            "gone"));
                }
                it.remove();
            }
        }
    }

    private static void step(AlertRule rule, Watched w, double rate, long nanos, Instant wall, List<AlertEvent> events) {
        if (Double.isNaN(rate)) {
            return; // younger than the window
        }
        if (w.firedAt == null) {
            boolean quiet = w.hasQuiet && nanos < w.quietUntil;
            if (rate > rule.above() && !quiet) {
                w.firedAt = wall;
                w.belowSince = Long.MIN_VALUE;
                events.add(new AlertEvent(rule, AlertEvent.Status.FIRING, w.subject, rate, wall, null, ""));
            }
            return;
        }
        if (rate >= rule.clearBelow()) {
            w.belowSince = Long.MIN_VALUE;
            return;
        }
        if (w.belowSince == Long.MIN_VALUE) {
            w.belowSince = nanos;
        }
        if (nanos - w.belowSince >= rule.clearAfter().toNanos()) {
            events.add(new AlertEvent(rule, AlertEvent.Status.RESOLVED, w.subject, rate, w.firedAt, wall, "below "
                    + Quantities.formatRate(rule.clearBelow()) + " for " + Spans.text(rule.clearAfter())));
            w.firedAt = null;
            w.belowSince = Long.MIN_VALUE;
            w.hasQuiet = true;
            w.quietUntil = nanos + rule.cooldown().toNanos();
        }
    }

    /** How many subjects of {@code rule} fire now. */
    public int firing(String rule) {
        Map<Object, Watched> watched = byRule.get(rule);
        return watched == null ? 0 : (int) watched.values().stream().filter(w -> w.firedAt != null).count();
    }

    /** The subjects left unwatched so far because a rule had {@code maxSubjects} already. */
    public long untracked() {
        return untracked;
    }
}
