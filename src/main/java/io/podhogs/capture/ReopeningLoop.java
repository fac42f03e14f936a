package io.podhogs.capture;

import org.jboss.logging.Logger;
import org.pcap4j.core.PcapHandle;

/**
 * A capture loop that is opened again when its thread ends by itself (libpcap gave up on the
 * handle), so that one failing handle neither stops the counting for good nor takes the agent
 * down. Reopening waits a second, then doubles the wait up to 30 s while it keeps failing. The new
 * loop counts on in the same counters; what came while no handle was open is not seen, and each
 * stop and reopen is logged and counted in {@link CaptureStatus#restarts()}.
 *
 * <p>The first look at a stopped loop only notes the time: a device that is gone for good is
 * retired by its capture (from the interface list read right after) before any reopen is tried.
 */
final class ReopeningLoop {
    private static final Logger LOG = Logger.getLogger(ReopeningLoop.class);
    private static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;

    /** Opens a fresh handle, filtered as the first one was, for a loop that ended. */
    @FunctionalInterface
    interface HandleOpener {
        PcapHandle open() throws CaptureException;
    }

    private final HandleOpener opener;
    private volatile CaptureLoop loop;
    private volatile int restarts;
    private boolean closed;
    private long stoppedAtNanos = -1;
    private long backoffNanos = FIRST_BACKOFF_NANOS;

    ReopeningLoop(CaptureLoop first, HandleOpener opener) {
        this.loop = first;
        this.opener = opener;
    }

    CaptureStatus status() {
        CaptureStatus s = loop.status();
        return new CaptureStatus(s.name(), s.frames(), s.bytes(), s.truncated(), s.malformed(), s.failed(), s.kernelDrops(),
                s.interfaceDrops(), s.running(), s.error(), restarts);
    }

    /** Called now and then (on the engine thread): reopens the handle if its loop ended and the wait is over. */
    synchronized void reopenIfStopped(long nowNanos) {
        CaptureLoop ended = loop;
        CaptureStatus s = ended.status();
        if (closed || s.running()) {
            return;
        }
        if (stoppedAtNanos < 0) {
            stoppedAtNanos = nowNanos;
            LOG.errorf("capture on %s stopped (%s): reopening it", s.name(), s.error());
            return;
        }
        if (nowNanos - stoppedAtNanos < backoffNanos) {
            return;
        }
        // The ended loop's thread is done: its handle (and kernel buffer) goes before a new one
        // comes, and stays closed through failed attempts; its counts stay readable.
        ended.stop();
        try {
            CaptureLoop next = ended.successor(opener.open());
            next.start();
            loop = next;
            restarts++;
            stoppedAtNanos = -1;
            backoffNanos = FIRST_BACKOFF_NANOS;
            LOG.infof("capture on %s reopened (%d restarts so far)", s.name(), restarts);
        } catch (CaptureException | RuntimeException e) {
            stoppedAtNanos = nowNanos;
            backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
            LOG.errorf("capture on %s could not be reopened (%s): trying again in %d s", s.name(), e.getMessage(),
                    backoffNanos / 1_000_000_000L);
        }
    }

    /** Stops the loop for good; what it counted stays readable through {@link #status()}. */
    synchronized void stop() {
        closed = true;
        loop.stop();
    }
}
