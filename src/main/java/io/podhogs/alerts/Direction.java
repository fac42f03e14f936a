package io.podhogs.alerts;

import io.podhogs.accounting.Traffic;
import java.util.Locale;

/** Which bytes an alert rule counts: received (in), sent (out), or both. */
public enum Direction {
    IN, OUT, TOTAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public long of(Traffic t) {
        return switch (this) {
            case IN -> t.receivedBytes();
            case OUT -> t.sentBytes();
            case TOTAL -> t.sentBytes() + t.receivedBytes();
        };
    }

    /** The direction named {@code text} (as {@link #label}), or null. */
    public static Direction parse(String text) {
        for (Direction d : values()) {
            if (d.label().equals(text)) {
                return d;
            }
        }
        return null;
    }
}
