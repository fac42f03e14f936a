package io.podhogs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsTheFirstReadThatIsDone() {
        AtomicInteger reads = new AtomicInteger();
        int got = Await.until(Duration.ofSeconds(5), Duration.ofMillis(1), reads::incrementAndGet, n -> n >= 3, "three reads");
        assertEquals(3, got);
        assertEquals(3, reads.get(), "no read after the one that was done");
    }

    @Test
    void failsAtTheDeadlineWithWhatItAwaitedAndTheLastRead() {
        AtomicInteger reads = new AtomicInteger();
        long started = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(200),
                Duration.ofMillis(10), reads::incrementAndGet, n -> false, "a read that never comes"));
        long took = (System.nanoTime() - started) / 1_000_000;
        assertTrue(took >= 200 && took < 5_000, () -> "ends at the deadline, not before: " + took + " ms");
        assertEquals("waited 200 ms for a read that never comes; the last read: " + reads.get(), e.getMessage());
        assertTrue(reads.get() > 2, "asked again and again");
    }

    @Test
    void aConditionFailsWithItsOwnAccountOfTheState() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until(Duration.ofMillis(50), () -> false, () -> "the flag; it is still down"));
        assertEquals("waited 50 ms for the flag; it is still down", e.getMessage());
    }

    @Test
    void anErrorInsideEndsTheWaitAtOnceAndACheckedExceptionIsWrapped() {
        AssertionError inside = new AssertionError("the process died");
        long started = System.nanoTime();
        assertSame(inside, assertThrows(AssertionError.class, () -> Await.until(Duration.ofSeconds(30), () -> {
            throw inside;
        }, () -> "never")));
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "at once, not at the deadline");
        IOException io = new IOException("refused");
        IllegalStateException wrapped = assertThrows(IllegalStateException.class, () -> Await.until(Duration.ofSeconds(30),
                () -> {
                    throw io;
                }, () -> "never"));
        assertSame(io, wrapped.getCause());
    }
}
