package io.podhogs.history;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How a history is recorded.
 *
 * @param flushInterval how often what was counted is written (one transaction): what a crash can lose
 * @param topKeys per period and level, the keys kept by name once the period is over; the rest
 *     are summed into an {@code other} row. While a period is open, up to ten times as many.
 * @param maxBytes the file's size budget: past it the oldest rows go, finest resolution first
 * @param retention per resolution, how long its rows are kept (absent: for ever)
 */
public record HistorySettings(Duration flushInterval, int topKeys, long maxBytes, Map<Resolution, Duration> retention) {
    public static final Duration DEFAULT_FLUSH = Duration.ofSeconds(30);
    public static final int DEFAULT_TOP_KEYS = 50;
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    public HistorySettings {
        retention = Map.copyOf(retention);
    }

    /** The defaults: a flush every 30 s, the top 50 keys per period and level, 64 MiB, vnStat's retention. */
    public static HistorySettings defaults() {
        return withFlush(DEFAULT_FLUSH);
    }

    public static HistorySettings withFlush(Duration flushInterval) {
        Map<Resolution, Duration> retention = new EnumMap<>(Resolution.class);
        for (Resolution r : Resolution.values()) {
            if (r.defaultRetention() != null) {
                retention.put(r, r.defaultRetention());
            }
        }
        return new HistorySettings(flushInterval, DEFAULT_TOP_KEYS, DEFAULT_MAX_BYTES, retention);
    }

    /**
     * These settings with the retention {@code spans} give ("days=365d", "5min=24h", "years=0": for
     * ever); the others as they were.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public HistorySettings keeping(List<String> spans) {
        Map<Resolution, Duration> kept = new EnumMap<>(Resolution.class);
        kept.putAll(retention);
        for (String span : spans) {
            int eq = span.indexOf('=');
            Resolution r = eq < 0 ? null : Resolution.parse(span.substring(0, eq).trim());
            if (r == null) {
                throw new IllegalArgumentException("--history-keep takes RESOLUTION=SPAN with 5min, hours, days, months"
                        + " or years, not '" + span + "'");
            }
            Duration d = span(span.substring(eq + 1).trim());
            if (d == null) {
                throw new IllegalArgumentException("--history-keep " + span + ": the span is a whole number and s, m, h"
                        + " or d (48h, 62d), or 0 for ever");
            }
            if (d.isZero()) {
                kept.remove(r);
            } else {
                kept.put(r, d);
            }
        }
        return new HistorySettings(flushInterval, topKeys, maxBytes, kept);
    }

    private static Duration span(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (!text.matches("\\d{1,6}[smhd]")) {
            return null;
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Keys a period may name while it is open, before new ones go to {@code other}. */
    int openKeys() {
        return topKeys * 10;
    }
}
