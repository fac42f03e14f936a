package io.podhogs.engine;

import java.time.Duration;

/**
 * Spans of time as the engine counts them, in nanoseconds of a long: products that would not fit
 * saturate at the longest it can count (about 292 years, "for as long as podhogs runs") instead of
 * overflowing into ArithmeticException or a negative span.
 */
public final class Spans {
    /** The longest span the engine counts. */
    public static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    private Spans() {
    }

    /** {@code span} times {@code times}, at most {@link #FOREVER}. */
    public static Duration times(Duration span, long times) {
        return saturated(span.multipliedBy(Math.max(0, times)));
    }

    /** {@code span}, at most {@link #FOREVER}; a negative span is refused. */
    public static Duration saturated(Duration span) {
        if (span.isNegative()) {
            throw new IllegalArgumentException("a span of time cannot be negative: " + span);
        }
        return span.compareTo(FOREVER) > 0 ? FOREVER : span;
    }
}
