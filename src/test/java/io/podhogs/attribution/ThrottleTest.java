package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a throttled read may begin again, on a clock the test gives, wherever that clock starts. */
class ThrottleTest {
    @Test
    void theFirstReadMayBeginAtAnyTimeAndNothingCountsAsReadBeforeIt() {
        Throttle throttle = new Throttle(100);
        for (long now : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}) {
            assertTrue(throttle.mayRun(now), "at " + now);
            assertFalse(throttle.startedSince(now), "at " + now);
        }
        assertFalse(throttle.ran());
        assertEquals(0, throttle.durationNanos());
    }

    @Test
    void theNextReadWaitsForTheFloorAfterAShortRead() {
        Throttle throttle = new Throttle(100);
        throttle.ran(1_000, 1_010); // 10 ns: four times that is less than the floor
        assertTrue(throttle.ran());
        assertEquals(10, throttle.durationNanos());
        assertFalse(throttle.mayRun(1_000));
        assertFalse(throttle.mayRun(1_099));
        assertTrue(throttle.mayRun(1_100));
    }

    @Test
    void theNextReadWaitsForFourTimesALongRead() {
        Throttle throttle = new Throttle(100);
        throttle.ran(1_000, 1_050); // 50 ns: four times that is past the floor
        assertFalse(throttle.mayRun(1_199));
        assertTrue(throttle.mayRun(1_000 + Throttle.DUTY * 50));
    }

    @Test
    void aReadStartedSinceEveryMomentUpToItsStart() {
        Throttle throttle = new Throttle(100);
        throttle.ran(500, 600);
        assertTrue(throttle.startedSince(400));
        assertTrue(throttle.startedSince(500));
        assertFalse(throttle.startedSince(501));
        throttle.ran(700, 701);
        assertTrue(throttle.startedSince(700), "the last read counts");
        assertEquals(1, throttle.durationNanos());
    }

    /** System.nanoTime() may start anywhere: no value of it can mean "never read". */
    @Test
    void aReadAtTheLowestClockValueIsARead() {
        Throttle throttle = new Throttle(100);
        throttle.ran(Long.MIN_VALUE, Long.MIN_VALUE + 5);
        assertFalse(throttle.mayRun(Long.MIN_VALUE + 5));
        assertTrue(throttle.startedSince(Long.MIN_VALUE));
        assertTrue(throttle.mayRun(Long.MIN_VALUE + 100));
    }

    @Test
    void theClockMayWrapAround() {
        Throttle throttle = new Throttle(10);
        long start = Long.MAX_VALUE - 5;
        throttle.ran(start, start);
        assertFalse(throttle.mayRun(start + 9)); // past Long.MAX_VALUE: negative
        assertTrue(throttle.mayRun(start + 10));
        assertTrue(throttle.startedSince(start - 1));
        assertFalse(throttle.startedSince(start + 1));
    }

    @Test
    void aMomentHappensAtOrAfterOnlyOnceSet() {
        Moment moment = new Moment();
        assertFalse(moment.happened());
        assertFalse(moment.since(Long.MIN_VALUE));
        assertFalse(moment.after(Long.MIN_VALUE));
        moment.set(Long.MIN_VALUE);
        assertTrue(moment.happened());
        assertTrue(moment.since(Long.MIN_VALUE));
        assertFalse(moment.after(Long.MIN_VALUE));
        moment.set(1_000);
        assertTrue(moment.since(1_000));
        assertFalse(moment.after(1_000));
        assertTrue(moment.after(999));
        assertFalse(moment.since(1_001));
    }
}
