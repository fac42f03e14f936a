package io.podhogs.capture;

/**
 * Where parsed packets go: the next stage (attribution). Called on a capture thread for every frame,
 * with a holder that is reused for the next frame, so implementations copy what they keep and
 * allocate nothing.
 */
@FunctionalInterface
public interface PacketSink {
    void accept(ParsedPacket packet);
}
