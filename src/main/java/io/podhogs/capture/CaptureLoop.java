package io.podhogs.capture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;

/**
 * One pcap handle read by one dedicated thread, a batch of frames at a time ({@link FrameBatch}:
 * no upcall per frame). The thread parses each frame into a reused holder and hands it on.
 *
 * <p>Its filter can be changed while it runs ({@link #changeFilter}): the loop is broken, the
 * thread itself sets the new filter on its handle (a libpcap handle is not to be used from two
 * threads at once) and loops on. The socket stays open throughout, so no frame is lost or seen
 * twice: those already queued under the old filter are filtered again by libpcap.
 */
final class CaptureLoop {
    private static final Logger LOG = Logger.getLogger(CaptureLoop.class);
    /** How long {@link #stop()} waits for the loop's thread; {@link #awaitStop} lets many loops share one deadline. */
    static final long STOP_WAIT_NANOS = 2_000_000_000L;

    /** Sets a filter on a handle; run by the loop's own thread. */
    @FunctionalInterface
    interface FilterChange {
        void apply(PcapHandle handle) throws CaptureException;
    }

    private final String name;
    private final PcapHandle handle;
    /** The handle's pcap_t, for pcap_stats. */
    private final long pcap;
    /** struct pcap_stat: ps_recv, ps_drop, ps_ifdrop (unsigned ints; room to spare). */
    private final Memory stats = new Memory(32);
    private final FramePath path;
    private final ReadPacing pacing;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<FilterChange> pendingFilter = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile boolean started;
    private volatile String error = "";
    /**
     * Frames libpcap handed to this loop, whatever became of them: its progress, for {@link
     * StallWatch}. Written once a batch by the loop's thread alone. (A VarHandle here ran through
     * LambdaForms in the interpreter, where run() stays: it loops too few times to be compiled.)
     */
    private volatile long delivered;
    private long lastReceived;
    private long lastKernelDrops;
    private long lastInterfaceDrops;
    private final long kernelDropsBefore;
    private final long interfaceDropsBefore;

    /** A loop that reads on at once after every read: for handles whose frames must not wait. */
    CaptureLoop(String name, PcapHandle handle, FrameParser parser, PacketSink sink) {
        this(name, handle, parser, sink, ReadPacing.NONE);
    }

    CaptureLoop(String name, PcapHandle handle, FrameParser parser, PacketSink sink, ReadPacing pacing) {
        this(name, handle, new FramePath(parser, sink, new CaptureCounters()), pacing, 0, 0);
    }

    /** A new handle's statistics start at zero: the drops its predecessors reported are added. */
    private CaptureLoop(String name, PcapHandle handle, FramePath path, ReadPacing pacing, long kernelDropsBefore,
                        long interfaceDropsBefore) {
        this.path = path;
        this.pacing = pacing;
        this.kernelDropsBefore = kernelDropsBefore;
        this.interfaceDropsBefore = interfaceDropsBefore;
        this.name = name;
        this.handle = handle;
        this.pcap = FrameBatch.pointerOf(handle);
        this.thread = new Thread(this::run, "podhogs-capture-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts the loop's thread, after setting a filter asked for before the start. */
    void start() throws CaptureException {
        FilterChange change = pendingFilter.getAndSet(null);
        if (change != null) {
            change.apply(handle);
        }
        started = true;
        thread.start();
    }

    private void run() {
        try (FrameBatch batches = FrameBatch.open(handle)) {
            while (step(batches)) {
                // each step a batch: see step()
            }
        } catch (CaptureException | RuntimeException e) {
            if (!stopping) {
                error = String.valueOf(e.getMessage());
                LOG.errorf("capture on %s stopped: %s", name, error);
            }
        } finally {
            if (!stopping && error.isEmpty()) {
                error = "capture loop ended";
            }
            finished.countDown();
        }
    }

    /**
     * Reads and hands on one batch; false when the loop is to end. A method of its own, not the body
     * of run()'s loop: run() is entered once, so its loop would stay interpreted for minutes (a
     * loop is compiled after tens of thousands of turns, a method after a few hundred calls).
     */
    private boolean step(FrameBatch batches) throws CaptureException {
        int read = batches.read();
        if (read > 0) {
            path.acceptBatch(batches);
            delivered += read; // this thread is the only writer
            // A frame that threw is counted as failed; the first reason is kept, never a log line per frame.
            if (error.isEmpty() && path.lastFailure() != null) {
                error = "a frame could not be counted: " + path.lastFailure();
            }
            long pause = pacing.pauseAfter(read, batches.batchFrames());
            if (pause > 0 && !stopping) {
                LockSupport.parkNanos(pause); // a stop or a new filter unparks: the next read then breaks at once
            }
            return true;
        }
        // pcap_breakloop ends a read this way: a stop, a new filter, or (from a test) libpcap giving
        // up on the handle.
        return read != FrameBatch.END && (read != FrameBatch.BREAK || applyPendingFilter());
    }

    /** After a break: sets the filter asked for, if any and not stopping; false when the loop is to end. */
    private boolean applyPendingFilter() {
        FilterChange change = pendingFilter.getAndSet(null);
        if (change == null || stopping) {
            return false;
        }
        try {
            change.apply(handle);
        } catch (CaptureException | RuntimeException e) {
            // The old filter stays: what it selects is still counted.
            LOG.errorf("capture on %s: the new filter could not be set, the old one stays: %s", name, e.getMessage());
        }
        return true;
    }

    /**
     * Has the loop's thread set a new filter: at once if it runs, before it starts if it has not
     * started. A later change replaces one not yet applied.
     */
    void changeFilter(FilterChange change) {
        if (stopping) {
            return;
        }
        pendingFilter.set(change);
        if (started) {
            try {
                handle.breakLoop();
            } catch (NotOpenException e) {
                // closed: it is stopping
            }
            LockSupport.unpark(thread);
        }
    }

    /** Frames libpcap handed to this loop so far. */
    long delivered() {
        return delivered;
    }

    /** Frames the kernel queued for this handle (ps_recv, dropped ones included) when {@link #status()} last read them. */
    synchronized long received() {
        return lastReceived;
    }

    /** Whether the loop's thread has ended (by itself, or stopped). */
    boolean ended() {
        return finished.getCount() == 0;
    }

    /** Stops the loop and closes the handle, waiting up to 2 s; true when its thread ended. Safe to call more than once. */
    boolean stop() {
        requestStop();
        return awaitStop(System.nanoTime() + STOP_WAIT_NANOS);
    }

    /** Asks the loop to end, without waiting; {@link #awaitStop} closes the handle. */
    void requestStop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (started) {
            try {
                // pcap_breakloop takes effect when the loop next wakes (libpcap 1.10 wakes it at once).
                handle.breakLoop();
            } catch (NotOpenException e) {
                // already closed
            }
            LockSupport.unpark(thread);
        }
    }

    /**
     * Waits until {@code deadlineNanos} (System.nanoTime) for the loop's thread to end, then closes
     * the handle; true when the thread ended. A thread that does not end keeps its handle open:
     * pcap4j's close() would wait for the loop's lock forever; the process's exit takes both.
     */
    boolean awaitStop(long deadlineNanos) {
        if (started) {
            try {
                if (!finished.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warnf("capture on %s did not stop in time; leaving its handle open", name);
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        synchronized (this) { // status() reads the handle's statistics under this monitor
            if (handle.isOpen()) {
                handle.close();
            }
        }
        return true;
    }

    synchronized CaptureStatus status() {
        boolean running = finished.getCount() > 0;
        // A direct call into a buffer made once: pcap4j's getStats builds a JNA Structure by
        // reflection, ten times a second for every handle, most of an idle engine's work.
        if (running && handle.isOpen() && BatchCalls.Pcap.pcap_stats(pcap, Pointer.nativeValue(stats)) == 0) {
            lastReceived = Integer.toUnsignedLong(stats.getInt(0));
            lastKernelDrops = Integer.toUnsignedLong(stats.getInt(4));
            lastInterfaceDrops = Integer.toUnsignedLong(stats.getInt(8));
        }
        CaptureCounters counters = path.counters();
        return new CaptureStatus(name, counters.frames(), counters.bytes(), counters.truncated(), counters.malformed(),
                counters.failedFrames(), kernelDropsBefore + lastKernelDrops, interfaceDropsBefore + lastInterfaceDrops,
                running, error);
    }

    /**
     * A loop on a new handle (of the same kind) that carries on where this one, which has ended,
     * stopped: the same name, parser, sink and counters, and the drops this handle reported.
     */
    CaptureLoop successor(PcapHandle next) {
        CaptureStatus last = status();
        return new CaptureLoop(name, next, path, pacing, last.kernelDrops(), last.interfaceDrops());
    }
}
