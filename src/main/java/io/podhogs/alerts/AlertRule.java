package io.podhogs.alerts;

import io.podhogs.select.AccountFilter;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One alert rule: what it sums and per what, which bytes, and when it fires and clears.
 *
 * @param name the alert's name (Alertmanager's alertname)
 * @param line where the rules file says it, for messages
 * @param per what each subject is: a process, an application, a container, a pod, a namespace
 * @param scope which accounts are summed (the filters' criteria; {@link AccountFilter#ALL} for all)
 * @param apps with {@code per: app}, which applications (their names, found anywhere); empty for all
 * @param direction which bytes
 * @param above fires when the average over {@code window} passes this many bytes a second
 * @param clearBelow clears once the average stays below this (at most {@code above}) for {@code clearAfter}
 * @param window the span the rate is averaged over (bwmon's interval)
 * @param clearAfter how long the average must stay below {@code clearBelow} to clear (hysteresis)
 * @param cooldown once cleared, how long before the same subject may fire again
 * @param actions what it does besides its log line
 * @param volume a volume rule's threshold: fires once its subject's bytes in the current
 *     {@code period} (from the history) pass it, resolves when a new period begins; null for a rate rule
 */
public record AlertRule(String name, int line, AlertLevel per, AccountFilter scope, List<Pattern> apps,
                        Direction direction, double above, double clearBelow, Duration window, Duration clearAfter,
                        Duration cooldown, AlertActions actions, Volume volume) {
    /**
     * A volume over a period, as vnStat's users cap a day's or a month's traffic.
     *
     * @param bytes the threshold
     * @param period the history's resolution whose current period is summed: hours, days or months
     * @param names with a volume rule, which subjects by their name (program path, container, pod,
     *     namespace, application), found anywhere; empty for all
     */
    public record Volume(long bytes, io.podhogs.history.Resolution period, List<Pattern> names) {
        public Volume {
            names = List.copyOf(names);
        }

        /** "day", "hour", "month": how a line says the period. */
        public String periodWord() {
            return switch (period) {
                case HOURS -> "hour";
                case MONTHS -> "month";
                default -> "day";
            };
        }
    }

    /** A rate rule (no volume). */
    public AlertRule(String name, int line, AlertLevel per, AccountFilter scope, List<Pattern> apps, Direction direction,
                     double above, double clearBelow, Duration window, Duration clearAfter, Duration cooldown,
                     AlertActions actions) {
        this(name, line, per, scope, apps, direction, above, clearBelow, window, clearAfter, cooldown, actions, null);
    }
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);

    public AlertRule {
        apps = List.copyOf(apps);
    }

    /** Whether a subject of {@code per: app} named {@code app} is one of this rule's. */
    boolean takesApp(String app) {
        if (apps.isEmpty()) {
            return true;
        }
        for (Pattern p : apps) {
            if (p.matcher(app).find()) {
                return true;
            }
        }
        return false;
    }
}
