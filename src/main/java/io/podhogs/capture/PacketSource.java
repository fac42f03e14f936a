package io.podhogs.capture;

/**
 * The packets of one batch, parsed one at a time as they are asked for: what a capture thread hands
 * a {@link PacketSink} at once, so the sink can take its lock once a batch instead of once a frame.
 */
@FunctionalInterface
public interface PacketSource {
    /** The batch's next packet, in a holder reused for the one after; null when it has no more. */
    ParsedPacket next();
}
