package io.podhogs.node;

import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.CaptureMode;
import io.podhogs.capture.InterfacePatterns;
import java.util.List;
import java.util.Optional;

/**
 * What to capture, as the command line or the agent's settings say it: checked and turned into the
 * capture's own configuration by {@link #config}.
 *
 * @param devices devices named by the user; empty: every device that is up
 * @param allDevices nethogs's {@code -a}: loopback too
 * @param bufferMebibytes the kernel capture buffer, in total across devices
 * @param include globs of the interfaces counted; empty: every one
 * @param exclude globs of the interfaces left out
 */
public record CaptureSettings(CaptureMode mode, List<String> devices, boolean allDevices, int snapLength,
                              int bufferMebibytes, boolean promiscuous, Optional<String> filter,
                              List<String> include, List<String> exclude) {
    /** The largest buffer whose size in bytes is still an int. */
    public static final int MAX_BUFFER_MEBIBYTES = 2047;

    public CaptureSettings {
        devices = List.copyOf(devices);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** @throws IllegalArgumentException for a setting the capture cannot use, naming it */
    public CaptureConfig config(SettingNames names) {
        if (bufferMebibytes < 1 || bufferMebibytes > MAX_BUFFER_MEBIBYTES) {
            // Checked here: in bytes, 2048 MiB and more overflow an int (4097 would become 1 MiB).
            throw new IllegalArgumentException(names.bufferSize() + " must be between 1 and " + MAX_BUFFER_MEBIBYTES
                    + " MiB, not " + bufferMebibytes);
        }
        return new CaptureConfig(mode, devices, allDevices, snapLength, bufferMebibytes << 20,
                CaptureConfig.DEFAULT_BUFFER_TIMEOUT_MILLIS, promiscuous, filter, new InterfacePatterns(include, exclude));
    }
}
