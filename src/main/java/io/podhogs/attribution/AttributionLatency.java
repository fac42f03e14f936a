package io.podhogs.attribution;

import java.util.Arrays;

/**
 * How long new flows waited for their owner: from the flow's first packet to the moment its process
 * was known (found by its socket, found late on a retry, or inferred), in fixed buckets, so that what
 * is kept stays the same size however many flows come. Flows whose owner is not a process (unknown,
 * forwarded, nobody's) are not in it: their share shows in the bytes of those accounts. Engine
 * thread only; {@link #snapshot()} copies.
 */
public final class AttributionLatency {
    /** The buckets' upper bounds, in milliseconds; a last bucket holds the rest. */
    static final long[] BOUNDS_MILLIS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000};

    private final long[] counts = new long[BOUNDS_MILLIS.length + 1];
    private long sumNanos;

    void record(long nanos) {
        long n = Math.max(0, nanos);
        int b = 0;
        while (b < BOUNDS_MILLIS.length && n > BOUNDS_MILLIS[b] * 1_000_000L) {
            b++;
        }
        counts[b]++;
        sumNanos += n;
    }

    public Histogram snapshot() {
        return new Histogram(counts.clone(), sumNanos);
    }

    /**
     * A copy of the buckets: {@code counts[i]} flows waited at most {@code boundsMillis()[i]} ms (and
     * more than the bound before it); the last count is of those that waited longer than the last bound.
     */
    public record Histogram(long[] counts, long sumNanos) {
        public static final Histogram EMPTY = new Histogram(new long[BOUNDS_MILLIS.length + 1], 0);

        public static long[] boundsMillis() {
            return BOUNDS_MILLIS.clone();
        }

        public long count() {
            return Arrays.stream(counts).sum();
        }

        /** Flows that waited at most {@code BOUNDS_MILLIS[i]} ms: Prometheus's cumulative bucket {@code le}. */
        public long atMost(int i) {
            long c = 0;
            for (int b = 0; b <= i; b++) {
                c += counts[b];
            }
            return c;
        }

        /**
         * The upper bound, in milliseconds, of the bucket that holds quantile {@code q} (0 &lt; q &le; 1);
         * -1 when it lies beyond the last bound, 0 with no flow.
         */
        public long quantileMillis(double q) {
            long total = count();
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * total);
            for (int b = 0; b < BOUNDS_MILLIS.length; b++) {
                if (atMost(b) >= rank) {
                    return BOUNDS_MILLIS[b];
                }
            }
            return -1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Histogram h && h.sumNanos == sumNanos && Arrays.equals(h.counts, counts);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(counts) + Long.hashCode(sumNanos);
        }

        @Override
        public String toString() {
            return "Histogram" + Arrays.toString(counts) + " sum " + sumNanos + " ns";
        }
    }
}
