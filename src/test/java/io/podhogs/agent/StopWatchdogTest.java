package io.podhogs.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watchdog on its own, halting into a queue instead of the process (AgentJarIT has it end a
 * real one): it halts with status 1 once its deadline passes, and not before, nor once disarmed.
 */
class StopWatchdogTest {

    @Test
    void itHaltsWithStatusOneOnceTheDeadlinePasses() throws Exception {
        BlockingQueue<Integer> halted = new ArrayBlockingQueue<>(2);
        StopWatchdog watchdog = new StopWatchdog(Duration.ofMillis(300), halted::add);
        long armed = System.nanoTime();
        watchdog.arm();
        watchdog.step("stopping the capture and the engine");
        watchdog.arm(); // once armed, armed: the deadline does not move
        assertEquals(1, halted.poll(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - armed >= 300_000_000L, "not before its deadline");
        assertEquals(null, halted.poll(600, TimeUnit.MILLISECONDS), "once");
    }

    @Test
    void disarmedItDoesNothing() throws Exception {
        BlockingQueue<Integer> halted = new ArrayBlockingQueue<>(1);
        StopWatchdog watchdog = new StopWatchdog(Duration.ofMillis(200), halted::add);
        watchdog.arm();
        watchdog.disarm();
        assertEquals(null, halted.poll(800, TimeUnit.MILLISECONDS));
    }
}
