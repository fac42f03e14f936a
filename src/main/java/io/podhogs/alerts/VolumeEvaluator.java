package io.podhogs.alerts;

import io.podhogs.history.HistoryException;
import io.podhogs.history.HistoryKey;
import io.podhogs.history.HistoryLevel;
import io.podhogs.history.HistoryRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Volume rules ("10 GiB a day"): each subject whose bytes in the current period, as the history
 * recorded them, pass the rule's volume fires once that period, and resolves when the next period
 * begins. No clock of its own; the history is read through a {@link VolumeSource}. Bounded: at
 * most {@link VolumeSource#MAX_KEYS} subjects fired per rule and period.
 */
final class VolumeEvaluator {
    /** One rule's period and what fired in it. */
    private static final class Period {
        final Instant start;
        final Map<String, AlertEvent> fired = new LinkedHashMap<>();

        Period(Instant start) {
            this.start = start;
        }
    }

    private final Map<String, Period> byRule = new HashMap<>();

    /** The transitions at {@code now}; a history that cannot be read is an exception (said by the caller). */
    List<AlertEvent> evaluate(List<AlertRule> volumeRules, Instant now, VolumeSource source) throws HistoryException {
        List<AlertEvent> events = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AlertRule rule : volumeRules) {
            names.add(rule.name());
            Instant start = source.periodStart(rule.volume().period(), now);
            Period p = byRule.get(rule.name());
            if (p != null && !p.start.equals(start)) {
                resolve(p, now, "a new " + rule.volume().periodWord() + " began", events);
                p = null;
            }
            if (p == null) {
                p = new Period(start);
                byRule.put(rule.name(), p);
            }
            HistoryLevel level = level(rule.per());
            for (HistoryRow row : source.rows(level, rule.volume().period(), start)) {
                HistoryKey key = row.key();
                if (key.isBucket() || !takes(rule, key)) {
                    continue; // 'other' and '(no ...)' rows are no subject
                }
                long bytes = rule.direction().of(row.traffic());
                AlertSubject subject = subject(rule.per(), key);
                if (bytes > rule.volume().bytes() && !p.fired.containsKey(subject.name())
                        && p.fired.size() < VolumeSource.MAX_KEYS) {
                    AlertEvent e = new AlertEvent(rule, AlertEvent.Status.FIRING, subject, bytes, now, null, "");
                    p.fired.put(subject.name(), e);
                    events.add(e);
                }
            }
        }
        for (Iterator<Map.Entry<String, Period>> it = byRule.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Period> e = it.next();
            if (!names.contains(e.getKey())) {
                resolve(e.getValue(), now, "rule removed", events);
                it.remove();
            }
        }
        return events;
    }

    private static void resolve(Period p, Instant now, String reason, List<AlertEvent> events) {
        for (AlertEvent fired : p.fired.values()) {
            events.add(new AlertEvent(fired.rule(), AlertEvent.Status.RESOLVED, fired.subject(), Double.NaN,
                    fired.startsAt(), now, reason));
        }
        p.fired.clear();
    }

    /** How many subjects of {@code rule} fire in the current period. */
    int firing(String rule) {
        Period p = byRule.get(rule);
        return p == null ? 0 : p.fired.size();
    }

    static HistoryLevel level(AlertLevel per) {
        return switch (per) {
            case CONTAINER -> HistoryLevel.CONTAINER;
            case POD -> HistoryLevel.POD;
            case NAMESPACE -> HistoryLevel.NAMESPACE;
            case APP -> HistoryLevel.APP;
            default -> HistoryLevel.PROGRAM;
        };
    }

    private static boolean takes(AlertRule rule, HistoryKey key) {
        String namespace = key.level() == HistoryLevel.NAMESPACE ? key.name() : key.namespace();
        if (!rule.scope().namespaces().isEmpty() && !rule.scope().namespaces().contains(namespace)) {
            return false;
        }
        if (rule.volume().names().isEmpty()) {
            return true;
        }
        for (Pattern p : rule.volume().names()) {
            if (p.matcher(key.name()).find()) {
                return true;
            }
        }
        return false;
    }

    private static AlertSubject subject(AlertLevel per, HistoryKey k) {
        Map<String, String> labels = new LinkedHashMap<>();
        String name = k.name();
        switch (per) {
            case CONTAINER -> {
                labels.put("container", k.name());
                if (!k.pod().isEmpty()) {
                    labels.put("namespace", k.namespace());
                    labels.put("pod", k.pod());
                    name = k.namespace() + "/" + k.pod() + "/" + k.name();
                }
            }
            case POD -> {
                labels.put("namespace", k.namespace());
                labels.put("pod", k.name());
                name = k.namespace().isEmpty() ? k.name() : k.namespace() + "/" + k.name();
            }
            case NAMESPACE -> labels.put("namespace", k.name());
            case APP -> labels.put("app", k.name());
            default -> {
                labels.put("program", k.name());
                labels.put("user", k.user());
                name = k.user().isEmpty() ? k.name() : k.name() + " (" + k.user() + ")";
            }
        }
        return new AlertSubject(per, name, labels);
    }
}
