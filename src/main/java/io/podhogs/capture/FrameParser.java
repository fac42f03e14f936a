package io.podhogs.capture;

import java.util.Objects;

/**
 * Parses link, network and transport headers from the raw bytes of one frame into a reused
 * {@link ParsedPacket}. It never throws on bad input and never allocates: a frame cut short by the
 * snap length ({@code truncated}), or whose headers contradict themselves or the frame's length
 * ({@code malformed}), is still counted with whatever was understood before the fault, and
 * nothing after it is trusted. Ports are read only from inside the frame and inside the IP
 * datagram its header bounds.
 *
 * <p>Direction: the cooked headers (SLL, SLL2) carry the kernel's packet type, which is exact. A
 * plain Ethernet capture of one device has no packet type, so the rule there is the device's own
 * MAC address: a frame from it was sent, a frame to it (or to a group address) was received, any
 * other frame was addressed to another host. That rule is wrong for frames a bridge forwards out of
 * a port, one reason podhogs captures on {@code any} by default.
 *
 * <p>One instance per capture thread: it holds the fragment table.
 */
public final class FrameParser {
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88a8;
    static final int ETHERTYPE_VLAN_9100 = 0x9100;

    static final int ARPHRD_ETHER = 1;
    static final int ARPHRD_IEEE802 = 6;
    static final int ARPHRD_LOOPBACK = 772;

    private static final int PACKET_HOST = 0;
    private static final int PACKET_BROADCAST = 1;
    private static final int PACKET_MULTICAST = 2;
    private static final int PACKET_OTHERHOST = 3;
    private static final int PACKET_OUTGOING = 4;

    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    private static final int ETHERNET_HEADER = 14;
    private static final int MAX_IPV6_EXTENSIONS = 8;

    private final LinkType linkType;
    private final int deviceIfindex;
    private final int deviceHardwareType;
    private final long deviceMac;
    private final FragmentTable fragments = new FragmentTable(1024);
    /** The frame's length as pcap reported it (at least what was captured), for the frame in hand. */
    private int frameLength;
    /** Where the frame in hand starts in its buffer. */
    private int frameStart;

    private FrameParser(LinkType linkType, int deviceIfindex, int deviceHardwareType, long deviceMac) {
        this.linkType = linkType;
        this.deviceIfindex = deviceIfindex;
        this.deviceHardwareType = deviceHardwareType;
        this.deviceMac = deviceMac;
    }

    /** A parser for the cooked headers of the {@code any} device, which name the interface. */
    public static FrameParser cooked(LinkType linkType) {
        if (linkType != LinkType.LINUX_SLL && linkType != LinkType.LINUX_SLL2) {
            throw new IllegalArgumentException("not a cooked link type: " + linkType);
        }
        return new FrameParser(linkType, 0, 0, -1);
    }

    /** A parser for a capture of one device; {@code mac} is its 48-bit address (or -1). */
    public static FrameParser device(LinkType linkType, int ifindex, int hardwareType, long mac) {
        return new FrameParser(linkType, ifindex, hardwareType, mac);
    }

    /**
     * Parses one frame, which starts at index 0 of {@code frame}.
     *
     * @param frame the captured bytes (at least {@code capturedLength} of them)
     * @param capturedLength how many bytes were captured (snap length cuts it)
     * @param originalLength the frame's length before the snap length cut it, as pcap reports it
     */
    public void parse(byte[] frame, int capturedLength, int originalLength, ParsedPacket p) {
        parse(frame, 0, capturedLength, originalLength, p);
    }

    /**
     * Parses one frame where it lies in a larger buffer (a batch's records), without copying it out:
     * nothing before {@code start} or past its captured bytes is read, and every offset it reports
     * ({@link ParsedPacket#payloadOffset}) is an index into {@code buffer}.
     *
     * @param start the frame's first byte in {@code buffer}
     */
    public void parse(byte[] buffer, int start, int capturedLength, int originalLength, ParsedPacket p) {
        Objects.checkIndex(start, buffer.length + 1);
        p.reset();
        p.frame = buffer;
        int captured = Math.max(0, Math.min(capturedLength, buffer.length - start));
        // pcap never reports a frame shorter than what it captured; a caller that does is not
        // believed, so that no length derived from it can be negative.
        int origLen = Math.max(originalLength, captured);
        frameLength = origLen;
        frameStart = start;
        // From here on every bound is an index into the buffer: where the captured bytes end.
        int limit = start + captured;
        switch (linkType) {
            case LINUX_SLL2 -> parseSll2(buffer, start, limit, origLen, p);
            case LINUX_SLL -> parseSll(buffer, start, limit, origLen, p);
            case ETHERNET -> parseEthernet(buffer, start, limit, origLen, p);
            case RAW -> parseRaw(buffer, start, limit, origLen, p);
        }
    }

    /**
     * The headers need {@code needed} bytes of the frame and fewer were captured: the snap length
     * cut them ({@code truncated}), or the frame itself is shorter than they say ({@code malformed}).
     */
    private void cut(ParsedPacket p, int needed) {
        if (needed - frameStart > frameLength) {
            p.malformed = true;
        } else {
            p.truncated = true;
        }
    }

    // Each link parser: the frame starts at s; limit is the index where its captured bytes end.

    private void parseSll2(byte[] f, int s, int limit, int origLen, ParsedPacket p) {
        if (limit < s + SLL2_HEADER) {
            cut(p, s + SLL2_HEADER);
            p.wireLength = Math.max(0, origLen - SLL2_HEADER);
            return;
        }
        p.hardwareType = u16(f, s + 8);
        p.wireLength = origLen - SLL2_HEADER + linkHeaderLength(p.hardwareType);
        int ifindex = int32(f, s + 4);
        if (ifindex < 0) {
            p.malformed = true; // the kernel's interface indexes are positive: this header is not one
            return;
        }
        p.ifindex = ifindex;
        p.direction = direction(f[s + 10] & 0xff, p.hardwareType);
        if ((f[s + 11] & 0xff) == 6) { // sll2_halen: an Ethernet-like source address follows
            p.linkSource = mac(f, s + 12);
        }
        parseEthertype(f, limit, s + SLL2_HEADER, u16(f, s), p);
    }

    private void parseSll(byte[] f, int s, int limit, int origLen, ParsedPacket p) {
        if (limit < s + SLL_HEADER) {
            cut(p, s + SLL_HEADER);
            p.wireLength = Math.max(0, origLen - SLL_HEADER);
            return;
        }
        // SLL v1 has no interface index: only a per-device capture can know it.
        p.ifindex = deviceIfindex;
        p.hardwareType = u16(f, s + 2);
        p.direction = direction(u16(f, s), p.hardwareType);
        p.wireLength = origLen - SLL_HEADER + linkHeaderLength(p.hardwareType);
        parseEthertype(f, limit, s + SLL_HEADER, u16(f, s + 14), p);
    }

    private void parseEthernet(byte[] f, int s, int limit, int origLen, ParsedPacket p) {
        p.ifindex = deviceIfindex;
        p.hardwareType = deviceHardwareType == 0 ? ARPHRD_ETHER : deviceHardwareType;
        // Loopback shows an Ethernet header to pcap that its counters do not count.
        p.wireLength = Math.max(0, origLen - ETHERNET_HEADER + linkHeaderLength(p.hardwareType));
        if (limit < s + ETHERNET_HEADER) {
            cut(p, s + ETHERNET_HEADER);
            return;
        }
        p.direction = ethernetDirection(f, s, p.hardwareType);
        p.linkSource = mac(f, s + 6);
        parseEthertype(f, limit, s + ETHERNET_HEADER, u16(f, s + 12), p);
    }

    private void parseRaw(byte[] f, int s, int limit, int origLen, ParsedPacket p) {
        p.ifindex = deviceIfindex;
        p.hardwareType = deviceHardwareType;
        p.wireLength = origLen;
        // A raw IP device has no addresses in its frames: the per-device rule cannot tell
        // direction, so it is decided by the caller's device addresses (incoming by default).
        p.direction = Direction.INCOMING;
        if (limit < s + 1) {
            cut(p, s + 1);
            return;
        }
        int version = (f[s] & 0xff) >>> 4;
        if (version == 4) {
            parseIpv4(f, limit, s, p);
        } else if (version == 6) {
            parseIpv6(f, limit, s, p);
        }
    }

    private Direction ethernetDirection(byte[] f, int s, int hardwareType) {
        if (hardwareType == ARPHRD_LOOPBACK) {
            return Direction.LOOPBACK;
        }
        if (deviceMac >= 0 && mac(f, s + 6) == deviceMac) {
            return Direction.OUTGOING;
        }
        boolean group = (f[s] & 1) != 0;
        if (group || deviceMac < 0 || mac(f, s) == deviceMac) {
            return Direction.INCOMING;
        }
        return Direction.OTHER_HOST;
    }

    private static Direction direction(int packetType, int hardwareType) {
        if (hardwareType == ARPHRD_LOOPBACK) {
            // libpcap drops the outgoing copy of loopback frames, so each is seen once.
            return Direction.LOOPBACK;
        }
        return switch (packetType) {
            case PACKET_OUTGOING -> Direction.OUTGOING;
            case PACKET_OTHERHOST -> Direction.OTHER_HOST;
            case PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST -> Direction.INCOMING;
            default -> Direction.INCOMING;
        };
    }

    /**
     * The link header the interface's own counters include, by ARPHRD type: Ethernet-like devices
     * (veth, physical, bridge, bond, VLAN, macvlan) count a 14-byte header; loopback counts none
     * (measured: loopback_xmit counts the length after eth_type_trans pulled the header), nor do
     * raw IP devices (tun, WireGuard, IPIP, SIT, GRE).
     */
    static int linkHeaderLength(int hardwareType) {
        return switch (hardwareType) {
            case ARPHRD_ETHER, ARPHRD_IEEE802 -> ETHERNET_HEADER;
            default -> 0;
        };
    }

    private void parseEthertype(byte[] f, int limit, int offset, int ethertype, ParsedPacket p) {
        int o = offset;
        int type = ethertype;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_VLAN_9100) {
            if (limit < o + 4) {
                cut(p, o + 4);
                return;
            }
            type = u16(f, o + 2);
            o += 4;
        }
        if (type == ETHERTYPE_IPV4) {
            parseIpv4(f, limit, o, p);
        } else if (type == ETHERTYPE_IPV6) {
            parseIpv6(f, limit, o, p);
        }
    }

    private void parseIpv4(byte[] f, int limit, int o, ParsedPacket p) {
        p.ipVersion = 4;
        if (limit < o + 20) {
            cut(p, o + 20);
            return;
        }
        int headerLength = (f[o] & 0x0f) * 4;
        int totalLength = u16(f, o + 2);
        // A total length of 0 is what the kernel gives a BIG TCP super-packet (over 64 KiB): unbounded.
        if ((f[o] & 0xf0) != 0x40 || headerLength < 20 || totalLength != 0 && totalLength < headerLength) {
            p.malformed = true; // count it, trust nothing in it
            return;
        }
        int end = totalLength == 0 ? Integer.MAX_VALUE : o + totalLength;
        p.protocol = f[o + 9] & 0xff;
        p.srcHi = 0;
        p.srcLo = Addresses.v4Lo(int32(f, o + 12));
        p.dstHi = 0;
        p.dstLo = Addresses.v4Lo(int32(f, o + 16));
        int fragment = u16(f, o + 6);
        boolean moreFragments = (fragment & 0x2000) != 0;
        int fragmentOffset = fragment & 0x1fff;
        long id = u16(f, o + 4);
        if (fragmentOffset != 0) {
            p.orphanFragment = !fragments.recall(p, id, p.protocol);
            return;
        }
        parseTransport(f, limit, o + headerLength, end, p);
        if (moreFragments && p.hasPorts()) {
            fragments.remember(p, id, p.protocol);
        }
    }

    private void parseIpv6(byte[] f, int limit, int o, ParsedPacket p) {
        p.ipVersion = 6;
        if (limit < o + 40) {
            cut(p, o + 40);
            return;
        }
        if ((f[o] & 0xf0) != 0x60) {
            p.malformed = true;
            return;
        }
        int payloadLength = u16(f, o + 4);
        // 0: a jumbogram or a BIG TCP super-packet, longer than the field can say.
        int end = payloadLength == 0 ? Integer.MAX_VALUE : o + 40 + payloadLength;
        p.srcHi = int64(f, o + 8);
        p.srcLo = int64(f, o + 16);
        p.dstHi = int64(f, o + 24);
        p.dstLo = int64(f, o + 32);
        int next = f[o + 6] & 0xff;
        int off = o + 40;
        boolean fragmented = false;
        boolean firstFragment = true;
        long id = 0;
        // The Fragment header's next header: the first header of the fragmentable part, the same in
        // every fragment of a datagram (RFC 8200 4.5), so the key that ties them together.
        int fragmentNext = 0;
        for (int i = 0; i < MAX_IPV6_EXTENSIONS && isExtensionHeader(next); i++) {
            if (off + 8 > end || limit < off + 8) {
                p.protocol = next;
                if (off + 8 > end) {
                    p.malformed = true;
                } else {
                    cut(p, off + 8);
                }
                return;
            }
            int following = f[off] & 0xff;
            if (next == 44) { // Fragment header: fixed 8 bytes
                fragmented = true;
                int offsetAndFlags = u16(f, off + 2);
                firstFragment = (offsetAndFlags >>> 3) == 0;
                id = int32(f, off + 4) & 0xffff_ffffL;
                fragmentNext = following;
                off += 8;
                if (!firstFragment) {
                    // What follows is the middle of the datagram, not headers: a destination
                    // options or AH header of the fragmentable part is only in the first fragment.
                    next = following;
                    break;
                }
            } else if (next == 51) { // AH counts its length in 4-byte units
                off += ((f[off + 1] & 0xff) + 2) * 4;
            } else {
                off += ((f[off + 1] & 0xff) + 1) * 8;
            }
            next = following;
        }
        p.protocol = next;
        if (fragmented && !firstFragment) {
            // The first fragment, if seen, knew the transport protocol and ports past any headers.
            p.orphanFragment = !fragments.recall(p, id, fragmentNext);
            return;
        }
        if (isExtensionHeader(next)) {
            p.malformed = true; // more extension headers than any sane packet carries
            return;
        }
        parseTransport(f, limit, off, end, p);
        if (fragmented && p.hasPorts()) {
            fragments.remember(p, id, fragmentNext);
        }
    }

    private static boolean isExtensionHeader(int next) {
        return next == 0 || next == 43 || next == 44 || next == 51 || next == 60 || next == 135
                || next == 139 || next == 140;
    }

    /**
     * Reads the ports at {@code off}; {@code end} is where the IP datagram ends by its own header: a
     * transport header past it (in the Ethernet padding, say) is not the datagram's.
     */
    private void parseTransport(byte[] f, int limit, int off, int end, ParsedPacket p) {
        if (p.protocol != ParsedPacket.TCP && p.protocol != ParsedPacket.UDP) {
            return;
        }
        if (off + 4 > end) {
            p.malformed = true;
            return;
        }
        if (limit < off + 4) {
            cut(p, off + 4);
            return;
        }
        p.srcPort = u16(f, off);
        p.dstPort = u16(f, off + 2);
        if (p.protocol == ParsedPacket.TCP && Math.min(limit, end) >= off + 14) {
            p.tcpFlags = f[off + 13] & 0xff;
            p.payloadOffset = off + ((f[off + 12] >> 4) & 0xf) * 4;
        } else if (p.protocol == ParsedPacket.UDP) {
            p.payloadOffset = off + 8;
        }
        if (p.payloadOffset >= 0) {
            p.payloadEnd = Math.min(limit, end);
        }
    }

    private static int u16(byte[] f, int o) {
        return ((f[o] & 0xff) << 8) | (f[o + 1] & 0xff);
    }

    private static int int32(byte[] f, int o) {
        return ((f[o] & 0xff) << 24) | ((f[o + 1] & 0xff) << 16) | ((f[o + 2] & 0xff) << 8) | (f[o + 3] & 0xff);
    }

    private static long int64(byte[] f, int o) {
        return ((long) int32(f, o) << 32) | (int32(f, o + 4) & 0xffff_ffffL);
    }

    private static long mac(byte[] f, int o) {
        return ((long) u16(f, o) << 32) | (int32(f, o + 2) & 0xffff_ffffL);
    }
}
