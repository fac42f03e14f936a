package io.podhogs.attribution;

/**
 * When something last happened on the engine's clock, if it has yet. Compared by difference, as
 * {@link System#nanoTime()} values must be: the clock may start anywhere, even below zero, so no
 * value of it can stand for "never".
 */
final class Moment {
    private boolean happened;
    private long nanos;

    /** It happens (again) at {@code nanos}. */
    void set(long nanos) {
        this.nanos = nanos;
        happened = true;
    }

    boolean happened() {
        return happened;
    }

    /** It happened at {@code t} or later. */
    boolean since(long t) {
        return happened && nanos - t >= 0;
    }

    /** It happened later than {@code t}. */
    boolean after(long t) {
        return happened && nanos - t > 0;
    }
}
