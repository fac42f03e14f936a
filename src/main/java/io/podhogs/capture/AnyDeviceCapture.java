package io.podhogs.capture;

import java.util.List;
import org.jboss.logging.Logger;
import org.pcap4j.core.PcapHandle;

/**
 * The default capture: one handle on Linux's {@code any} pseudo-device. Its cooked v2 header names
 * the interface and the packet type of every frame, so one kernel ring and one thread cover every
 * interface, including those that appear after the start, with exact direction.
 */
final class AnyDeviceCapture implements Capture {
    private static final Logger LOG = Logger.getLogger(AnyDeviceCapture.class);

    private static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;

    private final CaptureConfig config;
    private final DeviceSelection selection;
    private final PacketSink sink;
    private final String description;
    private volatile CaptureLoop loop;
    private volatile int restarts;
    private volatile boolean closed;
    private long stoppedAtNanos = -1;
    private long backoffNanos = FIRST_BACKOFF_NANOS;

    private AnyDeviceCapture(CaptureConfig config, DeviceSelection selection, PacketSink sink, CaptureLoop loop,
                             String description) {
        this.config = config;
        this.selection = selection;
        this.sink = sink;
        this.loop = loop;
        this.description = description;
    }

    static Capture start(CaptureConfig config, DeviceSelection selection, PacketSink sink)
            throws CaptureException {
        if (config.promiscuous()) {
            LOG.warn("-p: the any device cannot be promiscuous; capturing what the host sends and receives");
        }
        PcapHandle handle = PcapOpener.open("any", config, config.bufferBytes());
        try {
            if (!PcapOpener.useSll2(handle)) {
                // libpcap before 1.10 has only cooked v1, which names no interface: capture the
                // named device itself instead.
                handle.close();
                if (!selection.named() || selection.devices().size() != 1) {
                    throw new CaptureException("this libpcap has no LINUX_SLL2 (libpcap 1.10 or later):"
                            + " use --capture per-device, or name a single device");
                }
                return PerDeviceCapture.start(config, selection, sink);
            }
            PcapOpener.setFilter(handle, selection.anyDeviceFilter(), config.filter());
            FrameParser parser = FrameParser.cooked(LinkType.LINUX_SLL2);
            CaptureLoop loop = new CaptureLoop("any", handle, parser, sink);
            loop.start();
            return new AnyDeviceCapture(config, selection, sink, loop, "any: " + selection.describe());
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    @Override
    public List<CaptureStatus> status() {
        CaptureStatus s = loop.status();
        return List.of(new CaptureStatus(s.name(), s.frames(), s.bytes(), s.truncated(), s.failed(), s.kernelDrops(),
                s.interfaceDrops(), s.running(), s.error(), restarts));
    }

    @Override
    public synchronized void restartStopped(long nowNanos) {
        CaptureStatus s = loop.status();
        if (closed || s.running()) {
            return;
        }
        if (stoppedAtNanos < 0) {
            stoppedAtNanos = nowNanos;
            LOG.errorf("capture on any stopped (%s): reopening it", s.error());
            return;
        }
        if (nowNanos - stoppedAtNanos < backoffNanos) {
            return;
        }
        try {
            PcapHandle handle = PcapOpener.open("any", config, config.bufferBytes());
            try {
                if (!PcapOpener.useSll2(handle)) {
                    throw new CaptureException("the reopened handle has no LINUX_SLL2");
                }
                PcapOpener.setFilter(handle, selection.anyDeviceFilter(), config.filter());
            } catch (CaptureException | RuntimeException e) {
                handle.close();
                throw e;
            }
            CaptureLoop ended = loop;
            CaptureLoop next = new CaptureLoop("any", handle, FrameParser.cooked(LinkType.LINUX_SLL2), sink,
                    ended.counters(), s.kernelDrops(), s.interfaceDrops());
            next.start();
            loop = next;
            ended.stop();
            restarts++;
            stoppedAtNanos = -1;
            backoffNanos = FIRST_BACKOFF_NANOS;
            LOG.infof("capture on any reopened (%d restarts so far)", restarts);
        } catch (CaptureException | RuntimeException e) {
            stoppedAtNanos = nowNanos;
            backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
            LOG.errorf("capture on any could not be reopened (%s): trying again in %d s", e.getMessage(),
                    backoffNanos / 1_000_000_000L);
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public synchronized void close() {
        closed = true;
        loop.stop();
    }
}
