package io.podhogs.capture;

/**
 * Where parsed packets go: the next stage (attribution). Called on a capture thread for every frame,
 * with a holder that is reused for the next frame, so implementations copy what they keep and
 * allocate nothing.
 */
@FunctionalInterface
public interface PacketSink {
    void accept(ParsedPacket packet);

    /**
     * Takes every packet of a batch, until {@code packets} has no more. A sink that locks overrides
     * this to lock once for the batch: a lock a frame, inflated whenever another thread had touched
     * it, was a tenth of the capture thread's time.
     */
    default void acceptAll(PacketSource packets) {
        for (ParsedPacket p = packets.next(); p != null; p = packets.next()) {
            accept(p);
        }
    }
}
