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
    private int next;
    private int count;

    /** @param samples how many ticks the window spans, plus one */
    RateWindow(int samples, long startNanos) {
        times = new long[samples];
        sent = new long[samples];
        received = new long[samples];
        add(startNanos, 0, 0);
    }

    void add(long nanos, long sentTotal, long receivedTotal) {
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
