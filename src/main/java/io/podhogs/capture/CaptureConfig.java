package io.podhogs.capture;

import java.util.List;
import java.util.Optional;

/**
 * What to capture and how.
 *
 * @param devices devices named by the user; empty means every device that is up, except
 *     loopback unless {@code includeLoopback}
 * @param includeLoopback nethogs's {@code -a}: loopback (and devices that are down) too
 * @param snapLength bytes kept of each frame: enough for the headers, never the payload
 * @param bufferBytes kernel ring size in total, shared out among the handles
 * @param bufferTimeoutMillis longest a captured frame waits in the kernel before delivery
 * @param filter optional BPF filter (tcpdump syntax), and-ed with the device selection
 * @param patterns which interfaces, by name, are counted at all: for "every device", including
 *     devices that appear later (a BPF filter cannot name devices that do not exist yet)
 */
public record CaptureConfig(
        CaptureMode mode,
        List<String> devices,
        boolean includeLoopback,
        int snapLength,
        int bufferBytes,
        int bufferTimeoutMillis,
        boolean promiscuous,
        Optional<String> filter,
        InterfacePatterns patterns) {

    public static final int DEFAULT_SNAP_LENGTH = 256;
    /**
     * The kernel ring, all of it resident from the start (the kernel maps every page of it): 16 MiB
     * holds about a quarter of a second of the fastest flood this machine makes (~390,000 64-byte
     * frames a second), and no frame was dropped with 2 MiB at that rate (BENCHMARKS.md, "Memory").
     */
    public static final int DEFAULT_BUFFER_BYTES = 16 << 20;
    public static final int DEFAULT_BUFFER_TIMEOUT_MILLIS = 2;
    /** No device gets less than this in per-device mode, however many there are. */
    static final int MIN_DEVICE_BUFFER_BYTES = 1 << 20;

    public CaptureConfig {
        devices = List.copyOf(devices);
        if (snapLength < 64 || snapLength > 65535) {
            throw new IllegalArgumentException("snap length must be between 64 and 65535 bytes");
        }
        if (bufferBytes < MIN_DEVICE_BUFFER_BYTES) {
            throw new IllegalArgumentException("buffer size must be at least 1 MiB");
        }
    }

    public static CaptureConfig defaults(List<String> devices) {
        return new CaptureConfig(CaptureMode.ANY, devices, false, DEFAULT_SNAP_LENGTH, DEFAULT_BUFFER_BYTES,
                DEFAULT_BUFFER_TIMEOUT_MILLIS, false, Optional.empty(), InterfacePatterns.ALL);
    }

    /**
     * Whether a device's frames are counted: a named device, or, for "every device", one that
     * matches the patterns and is not loopback (unless -a). Up or down does not matter here: a
     * device that is down carries no frames.
     */
    public boolean counts(NetInterface device) {
        if (!devices.isEmpty()) {
            return devices.contains(device.name()) && patterns.matches(device.name());
        }
        return (includeLoopback || !device.loopback()) && patterns.matches(device.name());
    }
}
