package io.podhogs.engine;

import io.podhogs.capture.CaptureConfig;
import java.time.Duration;

/**
 * @param rateWindow span of the displayed rates
 * @param lookupGrace how long a new flow may wait for its socket before it counts as unknown
 * @param flowIdleTimeout idle flows are forgotten after this (their totals stay in the accounts)
 * @param exitedRetention an exited process's own account is kept this long after its last bytes,
 *     then folded into its container's (or the host's) exited processes; an interface that is gone
 *     keeps its own entry in the accounts as long, then joins "interfaces gone"
 */
public record EngineConfig(CaptureConfig capture, Duration rateWindow, Duration lookupGrace,
                           Duration flowIdleTimeout, Duration exitedRetention) {
    public static final Duration TICK = Duration.ofMillis(100);
    public static final Duration DEFAULT_EXITED_RETENTION = Duration.ofMinutes(5);
    /** The most connections copied for the API at once (docs/memory.md). */
    public static final int LISTED_CONNECTIONS = 10_000;

    public static EngineConfig of(CaptureConfig capture) {
        return new EngineConfig(capture, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(30),
                DEFAULT_EXITED_RETENTION);
    }

    public EngineConfig withRateWindow(Duration window) {
        return new EngineConfig(capture, window, lookupGrace, flowIdleTimeout, exitedRetention);
    }

    public EngineConfig withExitedRetention(Duration retention) {
        return new EngineConfig(capture, rateWindow, lookupGrace, flowIdleTimeout, retention);
    }
}
