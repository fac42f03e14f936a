package io.podhogs.capture;

/**
 * Which way a frame crossed the interface it was seen on, from the host's side of that interface.
 * On the {@code any} capture it comes from the cooked header's packet type; on a per-device
 * capture from the frame's MAC addresses (see {@link FrameParser}).
 */
public enum Direction {
    /** The host transmitted it on this interface (PACKET_OUTGOING). */
    OUTGOING,
    /** The host received it on this interface, addressed to it (host, broadcast or multicast). */
    INCOMING,
    /**
     * Seen on a loopback device: both ends are on this host, so one frame is both sent and
     * received (the kernel counts it in lo's tx and rx; libpcap shows it once).
     */
    LOOPBACK,
    /** Received but addressed to another host (PACKET_OTHERHOST: promiscuous or bridged). */
    OTHER_HOST
}
