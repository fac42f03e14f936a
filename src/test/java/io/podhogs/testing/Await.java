package io.podhogs.testing;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in a test for what another thread or process does: ask again every few milliseconds until
 * the answer is the one expected, or fail at the deadline with what was awaited and the last answer
 * seen (a bare "timed out" says nothing about how far it got). What is asked may throw: an error
 * (an assertion inside) ends the wait at once, any other exception too, wrapped.
 */
public final class Await {
    /** Short against every timeout here, long enough not to keep a core busy. */
    public static final Duration POLL = Duration.ofMillis(50);

    private Await() {
    }

    /** A question that may throw (a read of a file, an HTTP request). */
    @FunctionalInterface
    public interface Read<T> {
        T read() throws Exception;
    }

    /** A condition that may throw. */
    @FunctionalInterface
    public interface Check {
        boolean done() throws Exception;
    }

    /** Waits until {@code done} holds; {@code state} says what was awaited and how things stand. */
    public static void until(Duration timeout, Check done, Supplier<String> state) {
        until(timeout, POLL, done, state);
    }

    /** As {@link #until(Duration, Check, Supplier)}, asking every {@code poll}. */
    public static void until(Duration timeout, Duration poll, Check done, Supplier<String> state) {
        until(timeout, poll, done::done, (Boolean d) -> d, (Boolean d) -> state.get());
    }

    /** Reads until {@code done} accepts what it read, and returns that; {@code what} names it in a failure. */
    public static <T> T until(Duration timeout, Read<T> read, Predicate<? super T> done, String what) {
        return until(timeout, POLL, read, done, what);
    }

    /** As {@link #until(Duration, Read, Predicate, String)}, reading every {@code poll}. */
    public static <T> T until(Duration timeout, Duration poll, Read<T> read, Predicate<? super T> done, String what) {
        return until(timeout, poll, read, done, (T last) -> what + "; the last read: " + last);
    }

    /**
     * As {@link #until(Duration, Read, Predicate, String)}, {@code failure} telling what was awaited
     * from the last read (for reads whose whole text would bury the point).
     */
    public static <T> T until(Duration timeout, Read<T> read, Predicate<? super T> done,
                              Function<? super T, String> failure) {
        return until(timeout, POLL, read, done, failure);
    }

    /** The wait itself: every other method here is this one. */
    public static <T> T until(Duration timeout, Duration poll, Read<T> read, Predicate<? super T> done,
                              Function<? super T, String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T last;
            try {
                last = read.read();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + failure.apply(last));
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }
}
