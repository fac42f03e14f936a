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

    private final ReopeningLoop loop;
    private final String description;

    private AnyDeviceCapture(ReopeningLoop loop, String description) {
        this.loop = loop;
        this.description = description;
    }

    static Capture start(CaptureConfig config, DeviceSelection selection, NetInterfaces interfaces, PacketSink sink)
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
                return PerDeviceCapture.start(config, selection, interfaces, sink);
            }
            PcapOpener.setFilter(handle, selection.anyDeviceFilter(), config.filter());
            CaptureLoop first = new CaptureLoop("any", handle, FrameParser.cooked(LinkType.LINUX_SLL2), sink);
            first.start();
            return new AnyDeviceCapture(new ReopeningLoop(first, () -> reopen(config, selection)),
                    "any: " + selection.describe());
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** A handle like the first: {@code any}, cooked v2 headers, the same filter. */
    private static PcapHandle reopen(CaptureConfig config, DeviceSelection selection) throws CaptureException {
        PcapHandle handle = PcapOpener.open("any", config, config.bufferBytes());
        try {
            if (!PcapOpener.useSll2(handle)) {
                throw new CaptureException("the reopened handle has no LINUX_SLL2");
            }
            PcapOpener.setFilter(handle, selection.anyDeviceFilter(), config.filter());
            return handle;
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    @Override
    public List<CaptureStatus> status() {
        return List.of(loop.status());
    }

    @Override
    public void restartStopped(long nowNanos) {
        loop.reopenIfStopped(nowNanos);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        loop.stop();
    }
}
