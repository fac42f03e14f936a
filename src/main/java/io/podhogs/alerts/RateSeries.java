package io.podhogs.alerts;

/**
 * One subject's bytes over time, for their average rate over a rule's window: samples at least
 * {@code spacing} apart, at most {@link #SAMPLES} (so a long window costs no more than a short
 * one), plus the latest value. Its count never goes down: a total that did (an account moved out
 * of a sum: an application's process that exited) is a new baseline, not negative bytes.
 */
final class RateSeries {
    static final int SAMPLES = 64;
    private final long[] times = new long[SAMPLES];
    private final long[] counts = new long[SAMPLES];
    private int newest = -1;
    private int size;
    private long lastTotal = -1;
    private long counted;
    private long latest;

    /** The subject's total now ({@code nanos}, a monotonic clock). */
    void add(long nanos, long total, long spacing) {
        if (lastTotal >= 0 && total > lastTotal) {
            counted += total - lastTotal;
        }
        lastTotal = total;
        latest = nanos;
        if (size == 0 || nanos - times[newest] >= spacing) {
            newest = (newest + 1) % SAMPLES;
            times[newest] = nanos;
            counts[newest] = counted;
            size = Math.min(SAMPLES, size + 1);
        }
    }

    /**
     * Bytes a second over the last {@code window} (from the newest sample at least that old), or
     * NaN while the series is younger than the window: a rate over less would be no average.
     */
    double rate(long window) {
        long from = latest - window;
        for (int i = 0; i < size; i++) {
            int at = Math.floorMod(newest - i, SAMPLES);
            if (times[at] <= from) {
                long span = latest - times[at];
                return span <= 0 ? Double.NaN : (counted - counts[at]) * 1e9 / span;
            }
        }
        return Double.NaN;
    }
}
