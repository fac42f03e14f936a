package io.podhogs.capture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.pcap4j.core.PcapHandle;

/**
 * One handle and one thread per device, with the devices' own link headers. Direction comes from
 * MAC addresses ({@link FrameParser}), which is exact for a host's own traffic but not for frames
 * a bridge forwards out of a port. Kept for libpcap builds without LINUX_SLL2 and for comparison:
 * the README has the numbers that made {@code any} the default.
 *
 * <p>Devices come and go: each time the engine reads the host's interfaces (about once a second),
 * a handle is opened for every selected device that is up and has none, and closed for every
 * device that went away or down. A named device deleted and created again is the same device by
 * name: its new self gets a handle once it is up. Frames a device carries before its handle opens
 * are not seen: the {@code any} capture, which needs no handle per device, has them.
 */
final class PerDeviceCapture implements Capture {
    private static final Logger LOG = Logger.getLogger(PerDeviceCapture.class);

    private final CaptureConfig config;
    private final Set<String> named;
    private final NetInterfaces interfaces;
    private final PacketSink sink;
    /** By interface index: indexes are not reused while a device lives, names are. */
    private final Map<Integer, ReopeningLoop> loops = new LinkedHashMap<>();
    private final Map<Integer, String> names = new LinkedHashMap<>();
    private final Map<Integer, DeviceFrames> deviceFrames = new LinkedHashMap<>();
    /** What the handles of devices that went away counted: totals never go down. */
    private CaptureStatus gone;
    private boolean closed;

    private PerDeviceCapture(CaptureConfig config, Set<String> named, NetInterfaces interfaces, PacketSink sink) {
        this.config = config;
        this.named = named;
        this.interfaces = interfaces;
        this.sink = sink;
    }

    static PerDeviceCapture start(CaptureConfig config, DeviceSelection selection, NetInterfaces interfaces,
                                  PacketSink sink)
            throws CaptureException {
        if (selection.devices().isEmpty()) {
            throw new CaptureException("no device to capture on: none is up (name one, or use -a)");
        }
        Set<String> named = selection.named()
                ? selection.devices().stream().map(NetInterface::name).collect(Collectors.toUnmodifiableSet())
                : Set.of();
        PerDeviceCapture capture = new PerDeviceCapture(config, named, interfaces, sink);
        try {
            for (NetInterface device : selection.devices()) {
                if (device.up()) { // libpcap opens no handle on a device that is down: it is opened once up
                    capture.open(device, selection.devices().size());
                }
            }
        } catch (CaptureException | RuntimeException e) {
            capture.close();
            throw e;
        }
        return capture;
    }

    /** A device to have a handle on now: selected, and up (libpcap opens none on a device that is down). */
    private boolean wanted(NetInterface device) {
        if (!device.up()) {
            return false;
        }
        if (!named.isEmpty()) {
            return named.contains(device.name());
        }
        return config.counts(device);
    }

    private void open(NetInterface device, int devices) throws CaptureException {
        // Bounded in total: the budget is shared out, with a floor per device.
        int buffer = Math.max(CaptureConfig.MIN_DEVICE_BUFFER_BYTES, config.bufferBytes() / Math.max(1, devices));
        PcapHandle handle = openFiltered(device.name(), buffer);
        CaptureLoop loop;
        try {
            int dlt = handle.getDlt().value();
            LinkType linkType = LinkType.ofDlt(dlt);
            FrameParser parser = FrameParser.device(linkType, device.index(), device.hardwareType(), device.mac());
            loop = new CaptureLoop(device.name(), handle, parser, sink, ReadPacing.forRing(buffer));
            loops.put(device.index(), new ReopeningLoop(loop, () -> reopen(device, buffer, dlt)));
        } catch (IllegalArgumentException e) {
            handle.close();
            throw new CaptureException("cannot capture on " + device.name() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        try {
            loop.start();
        } catch (CaptureException e) {
            loops.remove(device.index()).stop();
            throw e;
        }
        names.put(device.index(), device.name());
        deviceFrames.put(device.index(), new DeviceFrames());
    }

    private PcapHandle openFiltered(String device, int buffer) throws CaptureException {
        PcapHandle handle = PcapOpener.open(device, config, buffer);
        try {
            PcapOpener.setFilter(handle, "", config.filter());
            return handle;
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /**
     * The same device again. A device of the same name under another index is another device: it
     * gets a handle of its own when the interfaces are read next, and this one is retired.
     */
    private PcapHandle reopen(NetInterface device, int buffer, int dlt) throws CaptureException {
        NetInterface now = interfaces.byName(device.name())
                .orElseThrow(() -> new CaptureException(device.name() + " is gone"));
        if (now.index() != device.index()) {
            throw new CaptureException(device.name() + " is another device now (index " + now.index() + ")");
        }
        PcapHandle handle = openFiltered(device.name(), buffer);
        if (handle.getDlt().value() != dlt) {
            handle.close();
            throw new CaptureException(device.name() + " has another link type now");
        }
        return handle;
    }

    @Override
    public synchronized void interfacesChanged(Collection<NetInterface> current) {
        if (closed) {
            return;
        }
        Map<Integer, NetInterface> wanted = new LinkedHashMap<>();
        for (NetInterface device : current) {
            if (wanted(device)) {
                wanted.put(device.index(), device);
            }
        }
        for (Iterator<Map.Entry<Integer, ReopeningLoop>> it = loops.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, ReopeningLoop> entry = it.next();
            NetInterface device = wanted.get(entry.getKey());
            if (device == null || !device.name().equals(names.get(entry.getKey()))) {
                retire(entry.getValue());
                names.remove(entry.getKey());
                deviceFrames.remove(entry.getKey());
                it.remove();
            }
        }
        for (NetInterface device : wanted.values()) {
            if (!loops.containsKey(device.index())) {
                try {
                    open(device, wanted.size());
                } catch (CaptureException e) {
                    // It may be gone again already; the next look at the interfaces tries again.
                    LOG.warnf("cannot capture on %s yet: %s", device.name(), e.getMessage());
                }
            }
        }
    }

    /** Stops a device's handle and keeps what it counted (restarts included). */
    private void retire(ReopeningLoop loop) {
        loop.stop();
        CaptureStatus last = loop.status();
        CaptureStatus before = gone == null ? new CaptureStatus("devices gone", 0, 0, 0, 0, 0, 0, 0, true, "") : gone;
        gone = new CaptureStatus("devices gone", before.frames() + last.frames(), before.bytes() + last.bytes(),
                before.truncated() + last.truncated(), before.malformed() + last.malformed(),
                before.failed() + last.failed(),
                before.kernelDrops() + last.kernelDrops(), before.interfaceDrops() + last.interfaceDrops(), true, "",
                before.restarts() + last.restarts());
    }

    /** Each handle is watched with its device's own counters, read once for all (none under a user's filter). */
    @Override
    public synchronized void restartStopped(long nowNanos) {
        if (closed) {
            return;
        }
        boolean userFilter = config.filter().map(String::trim).filter(f -> !f.isEmpty()).isPresent();
        Map<String, Long> counts = userFilter ? Map.of() : interfaces.packetCounts();
        loops.forEach((index, loop) -> {
            String name = names.get(index);
            long frames = counts.isEmpty() || name == null ? -1 : deviceFrames.get(index).look(counts, List.of(name));
            loop.watch(nowNanos, frames);
        });
    }

    @Override
    public synchronized List<CaptureStatus> status() {
        List<CaptureStatus> status = new ArrayList<>();
        loops.values().forEach(loop -> status.add(loop.status()));
        if (gone != null) {
            status.add(gone);
        }
        return status;
    }

    @Override
    public synchronized String description() {
        String devices = named.isEmpty() ? "every device" + (config.includeLoopback() ? "" : " but loopback")
                + " (" + names.size() + " now)"
                : String.join(", ", names.values());
        return "per device: " + devices;
    }

    /** Asks every handle's loop to end first, then waits for them all with one deadline: hundreds of devices stop as fast as one. */
    @Override
    public synchronized void close() {
        closed = true;
        loops.values().forEach(ReopeningLoop::requestStop);
        long deadline = System.nanoTime() + CaptureLoop.STOP_WAIT_NANOS;
        loops.values().forEach(loop -> loop.awaitStop(deadline));
        loops.clear();
        names.clear();
        deviceFrames.clear();
    }
}
