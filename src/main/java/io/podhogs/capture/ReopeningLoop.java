package io.podhogs.capture;

import org.jboss.logging.Logger;
import org.pcap4j.core.PcapHandle;

/**
 * A capture loop that is watched, and opened again when it ends by itself (libpcap gave up on the
 * handle) or goes deaf (see {@link StallWatch}), so that one failing handle neither stops the
 * counting for good nor takes the agent down. Reopening waits a second, then doubles the wait up
 * to 30 s while it keeps failing. The new loop counts on in the same counters; what came while no
 * handle was open is not seen, and each stop and reopen is logged and counted in
 * {@link CaptureStatus#restarts()}.
 *
 * <p>A loop whose thread is blocked is reported (not running, with the reason) but not reopened:
 * its thread cannot be made to let go of the handle and its counters, so a second loop beside it
 * would count into them from two threads. The agent's liveness turns red on it, and the kubelet
 * restarts the pod; should the thread move again, the loop is reported running again.
 *
 * <p>The first look at a stopped loop only notes the time: a device that is gone for good is
 * retired by its capture (from the interface list read right after) before any reopen is tried.
 */
final class ReopeningLoop {
    private static final Logger LOG = Logger.getLogger(ReopeningLoop.class);
    private static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;

    /** Opens a fresh handle, filtered as the first one was (or as the filter is now), for a loop that ended. */
    @FunctionalInterface
    interface HandleOpener {
        PcapHandle open() throws CaptureException;
    }

    private final HandleOpener opener;
    private final StallWatch watch = new StallWatch();
    private volatile CaptureLoop loop;
    private volatile int restarts;
    /** Why the running loop counts as stalled; empty while it does not. */
    private volatile String stalled = "";
    private boolean closed;
    private long stoppedAtNanos = -1;
    private long backoffNanos = FIRST_BACKOFF_NANOS;

    ReopeningLoop(CaptureLoop first, HandleOpener opener) {
        this.loop = first;
        this.opener = opener;
    }

    /** The loop's status; a stalled loop counts as not running, with the reason as its error. */
    CaptureStatus status() {
        CaptureStatus s = loop.status();
        String reason = stalled;
        boolean running = s.running() && reason.isEmpty();
        return new CaptureStatus(s.name(), s.frames(), s.bytes(), s.truncated(), s.malformed(), s.failed(), s.kernelDrops(),
                s.interfaceDrops(), running, reason.isEmpty() ? s.error() : reason, restarts);
    }

    /** Has the running loop (and any that follows it) set a new filter; see {@link CaptureLoop#changeFilter}. */
    synchronized void changeFilter(CaptureLoop.FilterChange change) {
        if (!closed) {
            watch.reset(); // frames queued under the old filter may be dropped by the new one: no progress lost
            loop.changeFilter(change);
        }
    }

    /** {@link #watch(long, long)} where the deaf rule does not apply. */
    void reopenIfStopped(long nowNanos) {
        watch(nowNanos, -1);
    }

    /**
     * Called about once a second (on the engine thread): judges whether the running loop still
     * takes frames, and reopens the handle if its loop ended, or went deaf, and the wait is over.
     *
     * @param devicePackets the covered devices' frames by their counters, read just before; -1
     *     where the deaf rule does not apply
     */
    synchronized void watch(long nowNanos, long devicePackets) {
        if (closed) {
            return;
        }
        CaptureLoop current = loop;
        CaptureStatus s = current.status(); // reads the kernel's numbers afresh: after the devices', before delivered
        if (s.running()) {
            String verdict = watch.look(nowNanos, current.delivered(), current.received(), devicePackets);
            if (verdict.isEmpty() != stalled.isEmpty()) {
                if (verdict.isEmpty()) {
                    LOG.infof("capture on %s takes frames again", s.name());
                } else {
                    LOG.errorf("capture on %s %s", s.name(), verdict);
                }
            }
            stalled = verdict;
            if (!watch.deaf()) {
                stoppedAtNanos = -1;
                return;
            }
        }
        if (stoppedAtNanos < 0) {
            stoppedAtNanos = nowNanos;
            if (!s.running()) {
                LOG.errorf("capture on %s stopped (%s): reopening it", s.name(), s.error());
            }
            return;
        }
        if (nowNanos - stoppedAtNanos < backoffNanos) {
            return;
        }
        // The old handle (and its kernel buffer) goes before a new one comes, and stays closed
        // through failed attempts; its counts stay readable. A deaf loop's thread waits in
        // libpcap (pcap_dispatch), which the stop wakes; should it not end, it keeps its handle, and no second
        // loop is started beside it.
        if (!current.stop()) {
            stoppedAtNanos = nowNanos;
            backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
            return;
        }
        try {
            CaptureLoop next = current.successor(opener.open());
            next.start();
            loop = next;
            restarts++;
            stoppedAtNanos = -1;
            backoffNanos = FIRST_BACKOFF_NANOS;
            watch.reset();
            stalled = "";
            LOG.infof("capture on %s reopened (%d restarts so far)", s.name(), restarts);
        } catch (CaptureException | RuntimeException e) {
            stoppedAtNanos = nowNanos;
            backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
            LOG.errorf("capture on %s could not be reopened (%s): trying again in %d s", s.name(), e.getMessage(),
                    backoffNanos / 1_000_000_000L);
        }
    }

    /** Stops the loop for good, waiting up to 2 s; what it counted stays readable through {@link #status()}. */
    synchronized void stop() {
        requestStop();
        awaitStop(System.nanoTime() + CaptureLoop.STOP_WAIT_NANOS);
    }

    /** Asks the loop to end without waiting: many loops can then share one deadline in {@link #awaitStop}. */
    synchronized void requestStop() {
        closed = true;
        loop.requestStop();
    }

    /** Waits for a loop asked to end until the deadline (System.nanoTime), then closes its handle. */
    void awaitStop(long deadlineNanos) {
        loop.awaitStop(deadlineNanos);
    }
}
