package io.podhogs.agent;

import java.time.Duration;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * Ends the process when stopping it takes too long. Armed when SIGTERM (or SIGINT) asks the agent
 * to stop: if the process still runs {@link #DEADLINE} later, some step hangs (a capture thread
 * that will not let go, a watch that will not close, a JVM busy collecting garbage), and the
 * kubelet would wait out its grace period (30 s in the chart) and kill it anyway. It logs one line
 * saying which step it was in and halts with status 1, running no more shutdown hooks.
 */
final class StopWatchdog {
    private static final Logger LOG = Logger.getLogger(StopWatchdog.class);
    /** Well inside the chart's grace period, well above a normal stop (under a second). */
    static final Duration DEADLINE = Duration.ofSeconds(4);

    private final Duration deadline;
    private final IntConsumer halt;
    private volatile String step = "stopping Quarkus";
    private Thread thread;

    StopWatchdog(Duration deadline, IntConsumer halt) {
        this.deadline = deadline;
        this.halt = halt;
    }

    /** The process's own: {@link Runtime#halt}. */
    static StopWatchdog forThisProcess() {
        return new StopWatchdog(DEADLINE, status -> Runtime.getRuntime().halt(status));
    }

    /** Starts counting; a second call does nothing. */
    synchronized void arm() {
        if (thread != null) {
            return;
        }
        long until = System.nanoTime() + deadline.toNanos();
        thread = new Thread(() -> {
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                try {
                    Thread.sleep(left / 1_000_000 + 1);
                } catch (InterruptedException e) {
                    return; // disarmed
                }
            }
            LOG.errorf("podhogs did not stop within %d s of being asked (still %s): ending it now",
                    deadline.toSeconds(), step);
            halt.accept(1);
        }, "podhogs-stop-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /** What the stop is doing now, for the line the watchdog logs should it hang there. */
    void step(String what) {
        step = what;
    }

    /** Stops counting (for tests, and a stop that was called off). */
    synchronized void disarm() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }
}
