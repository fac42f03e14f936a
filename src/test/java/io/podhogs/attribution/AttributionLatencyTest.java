package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The buckets' edges (a bound is in its own bucket, as Prometheus's le), the quantiles and the copy. */
class AttributionLatencyTest {
    private static final long MS = 1_000_000L;

    @Test
    void aWaitOnABoundIsInThatBucketAndOneNanosecondMoreInTheNext() {
        AttributionLatency latency = new AttributionLatency();
        latency.record(0);
        latency.record(MS);
        latency.record(MS + 1);
        latency.record(30_000 * MS);
        latency.record(30_000 * MS + 1);
        latency.record(-5); // a clock that stood still: no wait
        AttributionLatency.Histogram h = latency.snapshot();
        long[] expected = new long[AttributionLatency.BOUNDS_MILLIS.length + 1];
        expected[0] = 3;
        expected[1] = 1;
        expected[expected.length - 2] = 1;
        expected[expected.length - 1] = 1;
        assertEquals(new AttributionLatency.Histogram(expected, 60_002 * MS + 2), h);
        assertEquals(6, h.count());
        assertEquals(4, h.atMost(1));
        assertEquals(1, h.quantileMillis(0.5));
        assertEquals(30_000, h.quantileMillis(0.8));
        assertEquals(-1, h.quantileMillis(1.0), "beyond the last bound");
    }

    @Test
    void aSnapshotIsACopyAndNoFlowIsNoQuantile() {
        AttributionLatency latency = new AttributionLatency();
        AttributionLatency.Histogram before = latency.snapshot();
        latency.record(7 * MS);
        assertEquals(0, before.count());
        assertEquals(0, before.quantileMillis(0.99));
        assertEquals(AttributionLatency.Histogram.EMPTY, before);
        assertEquals(10, latency.snapshot().quantileMillis(0.99));
    }
}
