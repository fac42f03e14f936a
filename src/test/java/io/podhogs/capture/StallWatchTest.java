package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The stall rule on the numbers a look reads (seconds apart, as the engine looks): what makes a
 * loop blocked or deaf, and what does not. Real stalls are made in AgentHealthTest and AgentJarIT.
 */
class StallWatchTest {
    private static final long S = 1_000_000_000L;

    @Test
    void anIdleLoopIsNoStall() {
        StallWatch w = new StallWatch();
        for (int t = 0; t < 60; t++) {
            assertEquals("", w.look(t * S, 10, 10, 500));
        }
    }

    @Test
    void aLoopThatTakesFramesIsNoStallHoweverManyArrive() {
        StallWatch w = new StallWatch();
        for (int t = 0; t < 60; t++) {
            assertEquals("", w.look(t * S, 1000L * t, 1000L * t + 7, 2000L * t));
        }
    }

    @Test
    void framesQueuedAndNotTakenForFiveSecondsMakeItBlocked() {
        StallWatch w = new StallWatch();
        w.look(0, 100, 100, -1);
        assertEquals("", w.look(1 * S, 100, 130, -1), "the window starts here");
        assertEquals("", w.look(5 * S, 100, 170, -1), "4 s: not yet");
        String verdict = w.look(6 * S, 100, 180, -1);
        assertEquals("stalled: took none of the 80 frames the kernel queued for it in 5 s (its thread is blocked)",
                verdict);
        assertFalse(w.deaf(), "a blocked thread cannot be stopped: not to be reopened");
        assertTrue(w.look(7 * S, 100, 180, -1).startsWith("stalled: took none of the 80 frames"), "nothing new arrives: still blocked");
        assertEquals("", w.look(8 * S, 101, 180, -1), "it took a frame: no longer stalled");
    }

    @Test
    void devicesCarryingFramesTheKernelDoesNotQueueMakeItDeaf() {
        StallWatch w = new StallWatch();
        w.look(0, 100, 100, 1000);
        assertEquals("", w.look(1 * S, 100, 100, 1099), "99 frames: too few to say");
        assertEquals("", w.look(2 * S, 100, 100, 1100), "the window starts here");
        assertEquals("stalled: the kernel queued no frame for it in 5 s while its devices carried 400",
                w.look(7 * S, 100, 100, 1400));
        assertTrue(w.deaf());
    }

    @Test
    void theDeafRuleNeedsTheDevicesCounters() {
        StallWatch w = new StallWatch();
        w.look(0, 100, 100, -1);
        for (int t = 1; t < 20; t++) {
            assertEquals("", w.look(t * S, 100, 100, -1));
        }
    }

    @Test
    void framesTakenLateAreProgress() {
        // A look may come while frames are still in the ring (2 ms): taken by the next look.
        StallWatch w = new StallWatch();
        w.look(0, 0, 0, 0);
        for (int t = 1; t < 30; t++) {
            assertEquals("", w.look(t * S, 10L * (t - 1), 10L * t, 10L * t));
        }
    }
}
