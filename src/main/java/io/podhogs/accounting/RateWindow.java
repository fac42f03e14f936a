package io.podhogs.accounting;

/**
 * Sent and received rates over a sliding window on the monotonic clock. The ledger samples every
 * account on every tick, traffic or not, so a rate falls to zero once traffic stops (nethogs's
 * rates freeze instead, since it measures time by the last packet's timestamp).
 */
final class RateWindow {
    private final long[] times;
    private final long[] sent;
    private final long[] received;
    private final long spacingNanos;
    private int next;
    private int count;

    RateWindow(WindowShape shape, long startNanos) {
        times = new long[shape.samples()];
        sent = new long[shape.samples()];
        received = new long[shape.samples()];
        spacingNanos = shape.spacingNanos();
        add(startNanos, 0, 0);
    }

    void add(long nanos, long sentTotal, long receivedTotal) {
        // A newest sample still closer than the spacing to the one before it is brought up to date
        // in place rather than kept: a long window spreads its bounded samples over its whole span.
        if (count >= 2 && times[newest()] - times[(next - 2 + times.length) % times.length] < spacingNanos) {
            next = newest();
            count--;
        }
        times[next] = nanos;
        sent[next] = sentTotal;
        received[next] = receivedTotal;
        next = (next + 1) % times.length;
        count = Math.min(count + 1, times.length);
    }

    /** Adds to every sample: totals taken in from elsewhere, which are no rate of this window's. */
    void shift(long sentTotal, long receivedTotal) {
        for (int i = 0; i < times.length; i++) {
            sent[i] += sentTotal;
            received[i] += receivedTotal;
        }
    }

    /** The time of the last sample. */
    long newestTime() {
        return times[newest()];
    }

    private int oldest() {
        return (next - count + times.length) % times.length;
    }

    private int newest() {
        return (next - 1 + times.length) % times.length;
    }

    /** Bytes per second sent over the window (or since the account began, if that is shorter). */
    double sentRate() {
        return rate(sent);
    }

    double receivedRate() {
        return rate(received);
    }

    private double rate(long[] totals) {
        int o = oldest();
        int n = newest();
        long elapsed = times[n] - times[o];
        if (elapsed <= 0) {
            return 0;
        }
        return (totals[n] - totals[o]) * 1e9 / elapsed;
    }
}
