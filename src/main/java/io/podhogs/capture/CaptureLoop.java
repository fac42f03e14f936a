package io.podhogs.capture;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;

/**
 * One pcap handle read by one dedicated thread with {@code pcap_loop}: the fastest way through
 * pcap4j (README, Capture). The thread parses each frame into a reused holder and hands it on.
 */
final class CaptureLoop implements RawPacketListener {
    private static final Logger LOG = Logger.getLogger(CaptureLoop.class);

    private final String name;
    private final PcapHandle handle;
    private final FramePath path;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean started;
    private volatile String error = "";
    private long lastKernelDrops;
    private long lastInterfaceDrops;
    private final long kernelDropsBefore;
    private final long interfaceDropsBefore;

    CaptureLoop(String name, PcapHandle handle, FrameParser parser, PacketSink sink) {
        this(name, handle, new FramePath(parser, sink, new CaptureCounters()), 0, 0);
    }

    /** A new handle's statistics start at zero: the drops its predecessors reported are added. */
    private CaptureLoop(String name, PcapHandle handle, FramePath path, long kernelDropsBefore,
                        long interfaceDropsBefore) {
        this.path = path;
        this.kernelDropsBefore = kernelDropsBefore;
        this.interfaceDropsBefore = interfaceDropsBefore;
        this.name = name;
        this.handle = handle;
        this.thread = new Thread(this::run, "podhogs-capture-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        started = true;
        thread.start();
    }

    @Override
    public void gotPacket(byte[] frame) {
        Integer originalLength = handle.getOriginalLength();
        // pcap4j would swallow an exception with a bare log line per packet: keep the first reason instead.
        if (!path.accept(frame, frame.length, originalLength == null ? frame.length : originalLength)
                && error.isEmpty()) {
            error = "a frame could not be counted: " + path.lastFailure();
        }
    }

    private void run() {
        try {
            handle.loop(-1, this);
        } catch (InterruptedException e) {
            // breakLoop() ends pcap_loop this way: a requested stop, not an error.
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
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

    /** Stops the loop and closes the handle; safe to call more than once. */
    void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (!started) {
            handle.close();
            return;
        }
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed
        }
        try {
            // pcap_breakloop takes effect when the loop next wakes (libpcap 1.10 wakes it at once).
            if (!finished.await(5, TimeUnit.SECONDS)) {
                // pcap4j's close() would wait for the loop's lock forever: leave the handle to the
                // process's exit rather than hang here (the thread is a daemon).
                LOG.warnf("capture on %s did not stop within 5 s; leaving its handle open", name);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        handle.close();
    }

    synchronized CaptureStatus status() {
        boolean running = finished.getCount() > 0;
        if (running && handle.isOpen()) {
            try {
                PcapStat stat = handle.getStats();
                lastKernelDrops = stat.getNumPacketsDropped();
                lastInterfaceDrops = stat.getNumPacketsDroppedByIf();
            } catch (PcapNativeException | NotOpenException e) {
                // keep the last values read; the handle is closing
            }
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
        return new CaptureLoop(name, next, path, last.kernelDrops(), last.interfaceDrops());
    }
}
