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
    /** The least of the default bounds, and the least a flag may set. */
    public static final int MIN_FLOWS = 1 << 16;

    public static EngineConfig of(CaptureConfig capture) {
        return new EngineConfig(capture, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(30),
                DEFAULT_EXITED_RETENTION, defaultMaxFlows(Runtime.getRuntime().maxMemory()));
    }

    /**
     * The default bound on tracked flows for a heap of {@code maxHeapBytes}: as many as an eighth of
     * it holds, rounded down to a power of two (the table's sizes), at least {@link #MIN_FLOWS}.
     * 512 MiB (the launcher's heap): 262,144 flows in 51 MB; 384 MiB (the chart's): 131,072.
     */
    public static int defaultMaxFlows(long maxHeapBytes) {
        long fits = maxHeapBytes / 8 / BYTES_PER_FLOW;
        return (int) Math.max(MIN_FLOWS, Math.min(FlowTable.MAX_CAPACITY, Long.highestOneBit(Math.max(1, fits))));
    }

    public EngineConfig withRateWindow(Duration window) {
        return new EngineConfig(capture, window, lookupGrace, flowIdleTimeout, exitedRetention, maxFlows);
    }

    public EngineConfig withExitedRetention(Duration retention) {
        return new EngineConfig(capture, rateWindow, lookupGrace, flowIdleTimeout, retention, maxFlows);
    }

    /** The bound on tracked flows; 0 keeps the default. */
    public EngineConfig withMaxFlows(int flows) {
        return flows == 0 ? this : new EngineConfig(capture, rateWindow, lookupGrace, flowIdleTimeout, exitedRetention, flows);
    }
}
