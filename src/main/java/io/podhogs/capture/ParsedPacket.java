package io.podhogs.capture;

/**
 * One frame's headers, parsed in place. A single instance is reused for every frame of one capture
 * thread (the packet path allocates nothing), so it must not be kept past the call that got it.
 *
 * <p>Addresses are 128-bit, IPv4 in its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so that IPv4
 * packets match the IPv4-mapped sockets of dual-stack listeners without a second lookup.
 */
public final class ParsedPacket {
    /** IP protocol numbers podhogs tells apart; anything else is "other". */
    public static final int TCP = 6;
    public static final int UDP = 17;

    /** Interface index the frame was seen on (from SLL2, or the device of a per-device capture). */
    public int ifindex;
    /** ARPHRD type of that interface, which decides its link header length. */
    public int hardwareType;
    public Direction direction;
    /** Bytes of the frame as the interface's kernel counters count it (docs/accounting.md, Units). */
    public int wireLength;

    /** 4 or 6; 0 when the frame is not IP (ARP, LLDP ...). */
    public int ipVersion;
    /** IP protocol number (6 TCP, 17 UDP, 1 ICMP ...), or -1 when not IP. */
    public int protocol;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    /** Ports, or 0 for protocols without them and for fragments whose first fragment was not seen. */
    public int srcPort;
    public int dstPort;
    public int tcpFlags;
    /** The snap length cut the frame before the headers podhogs needed: counted, but with less detail. */
    public boolean truncated;
    /**
     * The frame's headers contradict themselves or its length (a runt, an IP header length past
     * the datagram, ports past its end ...): counted, with nothing after the fault trusted.
     */
    public boolean malformed;
    /**
     * The link-layer source address (a MAC in the low 48 bits) where the header names one, else -1:
     * an outgoing frame from another address than its device's was relayed by it (a macvlan upper's
     * frame on its lower device), not sent by the device's own stack.
     */
    public long linkSource;
    /** A non-first fragment whose first fragment (with the ports) was not seen. */
    public boolean orphanFragment;
    /**
     * Where the transport payload of a TCP or UDP packet starts in the frame being parsed, and where
     * what was captured of it ends ({@code payloadEnd <= payloadOffset}: none captured); -1 without
     * one. For a sink that reads payloads (DNS answers), during its call only.
     */
    public int payloadOffset;
    public int payloadEnd;
    /** The frame being parsed (the capture's buffer, not a copy): valid during the sink's call only. */
    public byte[] frame;

    void reset() {
        ifindex = 0;
        hardwareType = 0;
        direction = Direction.INCOMING;
        wireLength = 0;
        ipVersion = 0;
        protocol = -1;
        srcHi = srcLo = dstHi = dstLo = 0;
        srcPort = dstPort = 0;
        tcpFlags = 0;
        truncated = false;
        malformed = false;
        linkSource = -1;
        orphanFragment = false;
        payloadOffset = -1;
        payloadEnd = -1;
    }

    public boolean hasPorts() {
        return (protocol == TCP || protocol == UDP) && !truncated && !malformed && !orphanFragment;
    }

    @Override
    public String toString() {
        return "ParsedPacket[if=" + ifindex + " " + direction + " len=" + wireLength + " v" + ipVersion
                + " proto=" + protocol + " " + Addresses.format(srcHi, srcLo) + ":" + srcPort + " > "
                + Addresses.format(dstHi, dstLo) + ":" + dstPort + (truncated ? " truncated" : "") + (malformed ? " malformed" : "")
                + (orphanFragment ? " orphan-fragment" : "") + "]";
    }
}
