package io.podhogs.engine;

import io.podhogs.capture.Capture;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.CaptureException;
import io.podhogs.capture.NetInterfaces;
import io.podhogs.capture.PacketSink;

/**
 * Opens the capture the engine counts from: {@link Capture#start} on a host, a capture that hands
 * over frames the test made in tests, which then need neither root nor traffic.
 */
@FunctionalInterface
public interface CaptureFactory {
    /**
     * Opens and starts a capture: every frame to {@code sink}, and the first packet of each TCP
     * connection also to {@code connectionStarts} (see {@link Capture#start}).
     */
    Capture start(CaptureConfig config, NetInterfaces interfaces, PacketSink sink, PacketSink connectionStarts)
            throws CaptureException;
}
