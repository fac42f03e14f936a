package io.podhogs.alerts;

import java.time.Instant;

/**
 * An alert that fired or resolved, once each: what the actions are told.
 *
 * @param rate the average over the rule's window when it fired or resolved, bytes a second (NaN
 *     when it resolved because its subject is gone); for a volume rule, the bytes of the period
 * @param startsAt when it fired
 * @param endsAt when it resolved; null while it fires
 * @param reason why it resolved ("below 8.00 MiB/s for 1m", "gone", "rule removed"); empty while it fires
 */
public record AlertEvent(AlertRule rule, Status status, AlertSubject subject, double rate, Instant startsAt,
                         Instant endsAt, String reason) {
    public enum Status {
        FIRING, RESOLVED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The line the log gets, and stderr on the command line. */
    public String line() {
        if (rule.volume() != null) {
            String word = rule.volume().periodWord();
            return "alert " + status.name() + " " + rule.name() + ": " + subject.level().label() + " " + subject.name()
                    + (status == Status.FIRING ? " " + Quantities.formatBytes(rate) + " " + rule.direction().label()
                    + " this " + word + ", above " + Quantities.formatBytes(rule.volume().bytes()) : ", " + reason);
        }
        String threshold = status == Status.FIRING
                ? "above " + Quantities.formatRate(rule.above())
                : reason;
        String average = Double.isNaN(rate) ? "" : " " + Quantities.formatRate(rate) + " "
                + rule.direction().label() + " (" + Spans.text(rule.window()) + " average)";
        return "alert " + status.name() + " " + rule.name() + ": " + subject.level().label() + " " + subject.name()
                + average + ", " + threshold;
    }
}
