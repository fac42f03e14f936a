package io.podhogs.capture;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.pcap4j.core.PcapHandle;

/**
 * The default capture: one handle on Linux's {@code any} pseudo-device. Its cooked v2 header names
 * the interface and the packet type of every frame, so one kernel ring and one thread cover every
 * interface, including those that appear after the start, with exact direction. Its filter
 * follows the devices ({@link DeviceFilter}): a named device that is deleted and created again is
 * counted again under its new index.
 */
final class AnyDeviceCapture implements Capture {
    private static final Logger LOG = Logger.getLogger(AnyDeviceCapture.class);

    private final CaptureConfig config;
    private final NetInterfaces interfaces;
    private final DeviceFilter devices;
    private final ReopeningLoop loop;
    private final String description;
    private final DeviceFrames frames = new DeviceFrames();
    private int filterVersion;
    private Collection<NetInterface> current = List.of();

    private AnyDeviceCapture(CaptureConfig config, NetInterfaces interfaces, DeviceFilter devices, ReopeningLoop loop,
                             String description) {
        this.config = config;
        this.interfaces = interfaces;
        this.devices = devices;
        this.loop = loop;
        this.description = description;
        this.filterVersion = devices.version();
    }

    static Capture start(CaptureConfig config, DeviceSelection selection, DeviceFilter devices,
                         NetInterfaces interfaces, PacketSink sink) throws CaptureException {
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
            PcapOpener.setFilter(handle, devices.text(), config.filter());
            CaptureLoop first = new CaptureLoop("any", handle, FrameParser.cooked(LinkType.LINUX_SLL2), sink,
                    ReadPacing.forRing(config.bufferBytes()));
            first.start();
            AnyDeviceCapture capture = new AnyDeviceCapture(config, interfaces, devices,
                    new ReopeningLoop(first, () -> reopen(config, devices)), "any: " + selection.describe());
            capture.current = selection.devices();
            return capture;
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** A handle like the first: {@code any}, cooked v2 headers, the device filter as it is now. */
    private static PcapHandle reopen(CaptureConfig config, DeviceFilter devices) throws CaptureException {
        PcapHandle handle = PcapOpener.open("any", config, config.bufferBytes());
        try {
            if (!PcapOpener.useSll2(handle)) {
                throw new CaptureException("the reopened handle has no LINUX_SLL2");
            }
            PcapOpener.setFilter(handle, devices.text(), config.filter());
            return handle;
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    @Override
    public void interfacesChanged(Collection<NetInterface> now) {
        current = List.copyOf(now);
        devices.update(now);
        if (devices.version() != filterVersion) {
            filterVersion = devices.version();
            String text = devices.text();
            LOG.infof("the devices moved: the capture's filter follows them (%s)",
                    text.length() > 100 ? text.substring(0, 97) + "..." : text.isEmpty() ? "none" : text);
            loop.changeFilter(h -> PcapOpener.setFilter(h, text, config.filter()));
        }
    }

    @Override
    public List<CaptureStatus> status() {
        return List.of(loop.status());
    }

    @Override
    public void restartStopped(long nowNanos) {
        loop.watch(nowNanos, devicePackets(config, interfaces, devices, current, frames));
    }

    /**
     * The frames the devices whose frames reach a handle filtered by {@code devices} alone carried
     * (a total over time, see {@link DeviceFrames}); -1, the deaf rule does not apply, under a
     * user's filter or without /proc/net/dev.
     */
    static long devicePackets(CaptureConfig config, NetInterfaces interfaces, DeviceFilter devices,
                              Collection<NetInterface> current, DeviceFrames frames) {
        if (config.filter().map(String::trim).filter(f -> !f.isEmpty()).isPresent()) {
            return -1;
        }
        Map<String, Long> counts = interfaces.packetCounts();
        if (counts.isEmpty()) {
            return -1;
        }
        return frames.look(counts, current.stream().filter(devices::reaches).map(NetInterface::name).toList());
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
