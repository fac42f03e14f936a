package io.podhogs.engine;

import io.podhogs.attribution.FlowTable;
import io.podhogs.attribution.FlowTableView;
import io.podhogs.capture.CaptureConfig;
import java.time.Duration;

/**
 * @param rateWindow span of the displayed rates
 * @param lookupGrace how long a new flow may wait for its socket before it counts as unknown
 * @param flowIdleTimeout idle flows are forgotten after this (their totals stay in the accounts)
 * @param exitedRetention an exited process's own account is kept this long after its last bytes,
 *     then folded into its container's (or the host's) exited processes; an interface that is gone
 *     keeps its own entry in the accounts as long, then joins "interfaces gone"
 * @param maxFlows the most flows tracked at once; the bytes of flows beyond it are counted as
 *     untracked on their side of their interface (docs/memory.md)
 */
public record EngineConfig(CaptureConfig capture, Duration rateWindow, Duration lookupGrace,
                           Duration flowIdleTimeout, Duration exitedRetention, int maxFlows) {
    public static final Duration TICK = Duration.ofMillis(100);
    public static final Duration DEFAULT_EXITED_RETENTION = Duration.ofMinutes(5);
    /** The most connections copied for the API at once (docs/memory.md). */
    public static final int LISTED_CONNECTIONS = 10_000;
    /** What one tracked flow costs in the engine's arrays: the table's, its view's, the engine's. */
    public static final int BYTES_PER_FLOW = FlowTable.BYTES_PER_SLOT + FlowTableView.BYTES_PER_SLOT
            + FlowStates.BYTES_PER_SLOT;
    /**
     * The most exited processes that keep accounts of their own: beyond, the longest idle are folded
     * into their container's (or the host's) exited processes before the retention has passed.
     */
    public static final int MAX_EXITED_PROCESSES = 4_096;
    /** The least of the default bounds, and the least a flag may set. */
    public static final int MIN_FLOWS = 1 << 16;

    public static EngineConfig of(CaptureConfig capture) {
        return new EngineConfig(capture, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(30),
                DEFAULT_EXITED_RETENTION, defaultMaxFlows(Runtime.getRuntime().maxMemory()));
    }

    /**
     * The default bound on tracked flows for a heap of {@code maxHeapBytes}: as many as an eighth of
     * it holds, at least {@link #MIN_FLOWS}. 256 MiB (the launcher's heap): 172,074 flows in 32 MiB;
     * 384 MiB (the chart's, 75% of its 512 MiB limit): 258,111 flows in 48 MiB.
     */
    public static int defaultMaxFlows(long maxHeapBytes) {
        long fits = maxHeapBytes / 8 / BYTES_PER_FLOW;
        return (int) Math.max(MIN_FLOWS, Math.min(FlowTable.MAX_CAPACITY, fits));
    }

    public EngineConfig withRateWindow(Duration window) {
        return new EngineConfig(capture, window, lookupGrace, flowIdleTimeout, exitedRetention, maxFlows);
    }

    public EngineConfig withExitedRetention(Duration retention) {
        return new EngineConfig(capture, rateWindow, lookupGrace, flowIdleTimeout, retention, maxFlows);
    }

    /** Refuses a bound the table cannot take: 0 (the default) or {@link #MIN_FLOWS} to {@link FlowTable#MAX_CAPACITY}. */
    public static void checkMaxFlows(int flows, String setting) {
        if (flows != 0 && (flows < MIN_FLOWS || flows > FlowTable.MAX_CAPACITY)) {
            throw new IllegalArgumentException(setting + " must be between " + MIN_FLOWS + " and " + FlowTable.MAX_CAPACITY
                    + " (or 0 for the default), not " + flows);
        }
    }

    /** The bound on tracked flows; 0 keeps the default. */
    public EngineConfig withMaxFlows(int flows) {
        return flows == 0 ? this : new EngineConfig(capture, rateWindow, lookupGrace, flowIdleTimeout, exitedRetention, flows);
    }
}
