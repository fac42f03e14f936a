package io.podhogs.history;

import java.time.Duration;
import java.util.EnumMap;
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

    /** Keys a period may name while it is open, before new ones go to {@code other}. */
    int openKeys() {
        return topKeys * 10;
    }
}
