package io.podhogs.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.pcap4j.core.PcapHandle;

/**
 * One handle and one thread per device, with the devices' own link headers. Direction comes from
 * MAC addresses ({@link FrameParser}), which is exact for a host's own traffic but not for frames
 * a bridge forwards out of a port. Kept for libpcap builds without LINUX_SLL2 and for comparison:
 * the README has the numbers that made {@code any} the default.
 */
final class PerDeviceCapture implements Capture {
    private final List<CaptureLoop> loops;
    private final String description;

    private PerDeviceCapture(List<CaptureLoop> loops, String description) {
        this.loops = loops;
        this.description = description;
    }

    static PerDeviceCapture start(CaptureConfig config, DeviceSelection selection, PacketSink sink)
            throws CaptureException {
        if (selection.devices().isEmpty()) {
            throw new CaptureException("no device to capture on: none is up (name one, or use -a)");
        }
        // Bounded in total: the budget is shared out, with a floor per device.
        int perDevice = Math.max(CaptureConfig.MIN_DEVICE_BUFFER_BYTES, config.bufferBytes() / selection.devices().size());
        List<CaptureLoop> loops = new ArrayList<>();
        try {
            for (NetInterface device : selection.devices()) {
                PcapHandle handle = PcapOpener.open(device.name(), config, perDevice);
                try {
                    PcapOpener.setFilter(handle, "", config.filter());
                    LinkType linkType = LinkType.ofDlt(handle.getDlt().value());
                    FrameParser parser = FrameParser.device(linkType, device.index(), device.hardwareType(), device.mac());
                    loops.add(new CaptureLoop(device.name(), handle, parser, sink));
                } catch (IllegalArgumentException e) {
                    handle.close();
                    throw new CaptureException("cannot capture on " + device.name() + ": " + e.getMessage(), e);
                } catch (CaptureException | RuntimeException e) {
                    handle.close();
                    throw e;
                }
            }
        } catch (CaptureException | RuntimeException e) {
            loops.forEach(CaptureLoop::stop);
            throw e;
        }
        loops.forEach(CaptureLoop::start);
        String names = selection.devices().stream().map(NetInterface::name).collect(Collectors.joining(", "));
        return new PerDeviceCapture(loops, "per device: " + names);
    }

    @Override
    public List<CaptureStatus> status() {
        return loops.stream().map(CaptureLoop::status).toList();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        loops.forEach(CaptureLoop::stop);
    }
}
