package io.podhogs.capture;

import java.util.List;
import java.util.Collection;

/** A running capture: one or more handles feeding one {@link PacketSink}. */
public interface Capture extends AutoCloseable {

    /** One entry per handle; the kernel drop counts are read fresh. */
    List<CaptureStatus> status();

    /**
     * Handles that count no bytes but help (the connection-start handle): their drops lose no byte
     * and their frames are copies of frames {@link #status()} counts, so they are kept apart;
     * whether they run and how often they were reopened is reported with the others.
     */
    default List<CaptureStatus> helperStatus() {
        return List.of();
    }

    /** What is being captured, for display: "any (veth1, veth2)" or a device list. */
    String description();

    @Override
    void close();

    /**
     * The host's interfaces as the engine last read them, for captures that keep a handle per
     * device. Called on the engine thread.
     */
    default void interfacesChanged(Collection<NetInterface> current) {
    }

    /**
     * Watches the handles, called about once a second on the engine thread: one that no longer
     * takes frames is reported as stalled (not running, with the reason: see {@code StallWatch});
     * one whose thread ended by itself (an error from libpcap), or that the kernel stopped handing
     * frames to, is reopened after a backoff that starts at a second. Counting carries on in the
     * same counters; what came while a handle was closed is not seen, and the restart is logged.
     */
    default void restartStopped(long nowNanos) {
    }

    /**
     * Opens and starts the capture that {@code config} asks for: every frame to {@code sink}, and
     * the first packet of each TCP connection also to {@code connectionStarts}, as early as the
     * kernel can hand it over (see {@link ConnectionStartCapture}).
     */
    static Capture start(CaptureConfig config, NetInterfaces interfaces, PacketSink sink, PacketSink connectionStarts)
            throws CaptureException {
        DeviceSelection selection = DeviceSelection.resolve(config, interfaces);
        DeviceFilter devices = DeviceFilter.of(config, selection);
        Capture main = switch (config.mode()) {
            case ANY -> AnyDeviceCapture.start(config, selection, devices, interfaces, sink);
            case PER_DEVICE -> PerDeviceCapture.start(config, selection, interfaces, sink);
        };
        return ConnectionStartCapture.attach(main, config, devices, connectionStarts);
    }
}
