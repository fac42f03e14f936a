package io.podhogs.attribution;

/**
 * When a read (or a scan) last began and how long it took, which decide when the next may begin:
 * no sooner than a floor interval after it, or {@value #DUTY} times its duration, whichever is
 * longer. Reads are made when lookups miss, and under a flood of new flows every lookup misses: so
 * each kind of read takes at most a fifth of the engine thread, never a spin. Engine thread only.
 */
final class Throttle {
    /** The interval between reads is at least this many times a read's duration. */
    static final int DUTY = 4;

    private final long floorNanos;
    private boolean ran;
    private long startNanos;
    private long durationNanos;

    Throttle(long floorNanos) {
        this.floorNanos = floorNanos;
    }

    /** Whether a read may begin at {@code now}: always before the first. */
    boolean mayRun(long now) {
        return !ran || now - startNanos >= Math.max(floorNanos, DUTY * durationNanos);
    }

    /** A read began at {@code startNanos} and ended at {@code endNanos}. */
    void ran(long startNanos, long endNanos) {
        ran = true;
        this.startNanos = startNanos;
        durationNanos = endNanos - startNanos;
    }

    /** Whether a read has been made at all. */
    boolean ran() {
        return ran;
    }

    /** Whether the last read began at {@code t} or later: it saw what existed at {@code t}. */
    boolean startedSince(long t) {
        return ran && startNanos - t >= 0;
    }

    /** How long the last read took, 0 before the first. */
    long durationNanos() {
        return durationNanos;
    }
}
