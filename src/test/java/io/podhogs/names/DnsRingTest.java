package io.podhogs.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ring between the DNS handle's capture thread and the names' reader. */
class DnsRingTest {
    private static final byte[] ANSWER = {1, 2, 3, 4};

    /** An idle reader sleeps until an answer comes: the offer wakes it, long before its timeout. */
    @Test
    void aWaitingReaderIsWokenByTheNextAnswer() throws Exception {
        DnsRing ring = new DnsRing(4);
        long[] waited = new long[1];
        Thread reader = new Thread(() -> {
            long start = System.nanoTime();
            ring.awaitAnswer(TimeUnit.SECONDS.toNanos(60));
            waited[0] = System.nanoTime() - start;
        }, "reader");
        reader.start();
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), reader::getState,
                state -> state == Thread.State.TIMED_WAITING, state -> "the reader waits; it is " + state);
        assertTrue(ring.offer(ANSWER, 0, ANSWER.length, 7, false));
        reader.join(10_000);
        assertFalse(reader.isAlive(), "the answer woke the reader");
        assertTrue(waited[0] < TimeUnit.SECONDS.toNanos(30), "woken, not timed out: " + waited[0] + " ns");
        int[] seen = new int[1];
        assertEquals(1, ring.drain((message, length, ifindex, overTcp) -> seen[0] = ifindex));
        assertEquals(7, seen[0]);
    }

    /** An answer already in the ring: no wait at all. */
    @Test
    void aReaderDoesNotWaitWhileTheRingHoldsAnAnswer() {
        DnsRing ring = new DnsRing(4);
        ring.offer(ANSWER, 0, ANSWER.length, 7, false);
        long start = System.nanoTime();
        ring.awaitAnswer(TimeUnit.SECONDS.toNanos(60));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "returned at once");
        assertEquals(1, ring.drain((message, length, ifindex, overTcp) -> { }));
    }
}
