package io.podhogs.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The engine's two clocks, which move only when the test moves them, and together. */
final class ManualClock extends Clock {
    private final Instant wallStart;
    private final long nanoStart;
    private long nanos;

    ManualClock(Instant wallStart, long nanoStart) {
        this.wallStart = wallStart;
        this.nanoStart = nanoStart;
        this.nanos = nanoStart;
    }

    void advance(Duration by) {
        nanos += by.toNanos();
    }

    /** As System.nanoTime. */
    long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return wallStart.plusNanos(nanos - nanoStart);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the engine reads instants only");
    }
}
