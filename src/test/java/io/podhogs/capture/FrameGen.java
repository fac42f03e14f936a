package io.podhogs.capture;

import io.podhogs.testing.Draws;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Generators of frames for the parser's properties, built from the real formats (Ethernet with
 * 802.1Q/802.1ad tags, SLL, SLL2, raw IP; IPv4 with options and the fragment bits, IPv6 with
 * extension headers; TCP with options, UDP) with the values a real frame may carry but few do: the
 * longest IPv4 and TCP headers, eight extension headers, AH, a zero length (BIG TCP), Ethernet
 * padding, any snap length. Each well-formed frame comes with what the parser must make of it.
 */
final class FrameGen {
    static final long DEVICE_MAC = 0x02_77_00_00_00_01L;
    static final int DEVICE_IFINDEX = 2;
    static final int ARPHRD_NONE = 65534;

    private static final int[] OTHER_PROTOCOLS = {1, 2, 47, 50, 58, 103, 132, 255};
    private static final int[] EXTENSIONS = {0, 60, 43, 51, 44};

    private FrameGen() {
    }

    /** How a parser is made for a frame: the link type and, for one device, its ARPHRD type and MAC. */
    record Device(LinkType linkType, int hardwareType, long mac) {
        FrameParser parser() {
            return linkType == LinkType.LINUX_SLL2 || linkType == LinkType.LINUX_SLL && hardwareType < 0
                    ? FrameParser.cooked(linkType)
                    : FrameParser.device(linkType, DEVICE_IFINDEX, hardwareType, mac);
        }

        int ifindex() {
            return linkType == LinkType.LINUX_SLL2 || linkType == LinkType.LINUX_SLL && hardwareType < 0 ? 0
                    : DEVICE_IFINDEX;
        }
    }

    /**
     * One frame as handed to the parser: {@code bytes} may run past {@code captured} (bytes that are
     * not part of the frame), {@code original} is pcap's length.
     */
    record Input(Device device, byte[] bytes, int captured, int original) {
        @Override
        public String toString() {
            return device.linkType() + " hw=" + device.hardwareType() + " captured=" + captured + " original="
                    + original + " bytes=" + HexFormat.of().formatHex(bytes, 0, Math.max(0, Math.min(captured, bytes.length)))
                    + (bytes.length > captured ? " +" + (bytes.length - Math.max(0, captured)) + " past" : "");
        }
    }

    /**
     * What the parser must make of a well-formed frame, if the snap length leaves it {@code needed}
     * bytes; with fewer it must say truncated (and nothing more of it is checked but what it read).
     */
    record Expected(int ifindex, Direction direction, long linkSource, int ipVersion, int protocol, long srcHi,
                    long srcLo, long dstHi, long dstLo, int srcPort, int dstPort, int tcpFlags, int flagsAt,
                    int needed, int addressesAt, int linkHeader) {
    }

    record Frame(Input input, Expected expected) {
        @Override
        public String toString() {
            return input + "\n    expected " + expected;
        }
    }

    static Device device(Draws d, LinkType linkType) {
        return switch (linkType) {
            case LINUX_SLL2 -> new Device(linkType, -1, -1);
            // SLL v1 comes from the any device of an old libpcap, or from one device captured cooked.
            case LINUX_SLL -> d.bool() ? new Device(linkType, FrameParser.ARPHRD_ETHER, -1) : new Device(linkType, -1, -1);
            case ETHERNET -> new Device(linkType, d.pickInt(FrameParser.ARPHRD_ETHER, FrameParser.ARPHRD_LOOPBACK, 0),
                    d.bool() ? -1 : DEVICE_MAC);
            case RAW -> new Device(linkType, d.pickInt(ARPHRD_NONE, 0), -1);
        };
    }

    /** A well-formed frame of any link type, cut by a snap length or not. */
    static Frame wellFormed(Draws d) {
        return wellFormed(d, device(d, linkType(d)));
    }

    static LinkType linkType(Draws d) {
        return d.pick(LinkType.LINUX_SLL2, LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.RAW);
    }

    /** A well-formed frame for {@code device}'s parser. */
    static Frame wellFormed(Draws d, Device device) {
        LinkType linkType = device.linkType();
        Out out = new Out();
        int ifindex = device.ifindex();
        Direction direction;
        long linkSource = -1;
        int hardwareType;
        int ethertypeAt;
        switch (linkType) {
            case LINUX_SLL2 -> {
                ethertypeAt = 0;
                out.u16(0); // protocol, set below
                out.u16(0); // reserved
                ifindex = d.oneIn(8) ? d.int32() & 0x7fff_ffff : d.between(1, 4096);
                out.u32(ifindex);
                hardwareType = d.pickInt(FrameParser.ARPHRD_ETHER, FrameParser.ARPHRD_LOOPBACK, ARPHRD_NONE, 776, 6);
                out.u16(hardwareType);
                int packetType = d.between(0, 7);
                out.u8(packetType);
                boolean halen6 = hardwareType != ARPHRD_NONE && d.below(4) != 0;
                out.u8(halen6 ? 6 : d.pickInt(0, 8, 16));
                long mac = d.int64() & 0xffff_ffff_ffffL;
                out.u16((int) (mac >>> 32));
                out.u32((int) mac);
                out.u16(0);
                linkSource = halen6 ? mac : -1;
                direction = cookedDirection(packetType, hardwareType);
            }
            case LINUX_SLL -> {
                int packetType = d.between(0, 7);
                out.u16(packetType);
                hardwareType = d.pickInt(FrameParser.ARPHRD_ETHER, FrameParser.ARPHRD_LOOPBACK, ARPHRD_NONE);
                out.u16(hardwareType);
                out.u16(6);
                out.u32(d.int32());
                out.u32(d.int32());
                ethertypeAt = out.size();
                out.u16(0);
                direction = cookedDirection(packetType, hardwareType);
            }
            case ETHERNET -> {
                hardwareType = device.hardwareType() == 0 ? FrameParser.ARPHRD_ETHER : device.hardwareType();
                long other = 0x02_77_00_00_00_02L + d.below(4);
                int kind = d.below(4); // 0 sent by the device, 1 to it, 2 to a group, 3 to another host
                long source = kind == 0 ? DEVICE_MAC : other;
                long destination = switch (kind) {
                    case 0 -> other;
                    case 1 -> DEVICE_MAC;
                    case 2 -> d.bool() ? 0xff_ff_ff_ff_ff_ffL : 0x01_00_5e_00_00_01L + d.below(256);
                    default -> 0x02_77_00_00_00_99L;
                };
                out.u16((int) (destination >>> 32));
                out.u32((int) destination);
                out.u16((int) (source >>> 32));
                out.u32((int) source);
                ethertypeAt = out.size();
                out.u16(0);
                linkSource = source;
                direction = hardwareType == FrameParser.ARPHRD_LOOPBACK ? Direction.LOOPBACK
                        : device.mac() >= 0 && source == device.mac() ? Direction.OUTGOING
                        : kind == 2 || device.mac() < 0 || destination == device.mac() ? Direction.INCOMING
                        : Direction.OTHER_HOST;
            }
            default -> {
                hardwareType = device.hardwareType();
                ethertypeAt = -1;
                direction = Direction.INCOMING;
            }
        }
        int needed = out.size();
        int linkHeader = needed;
        int network = d.below(8); // 0-3 IPv4, 4-6 IPv6, 7 not IP
        int ethertype = network < 4 ? FrameParser.ETHERTYPE_IPV4 : network < 7 ? FrameParser.ETHERTYPE_IPV6 : 0x0806;
        if (linkType == LinkType.RAW && ethertype == 0x0806) {
            ethertype = FrameParser.ETHERTYPE_IPV4;
        }
        if (ethertypeAt >= 0) {
            int tags = d.oneIn(4) ? d.between(1, 3) : 0;
            int first = ethertype;
            if (tags > 0) {
                first = d.pickInt(FrameParser.ETHERTYPE_VLAN, FrameParser.ETHERTYPE_QINQ, FrameParser.ETHERTYPE_VLAN_9100);
                for (int t = 0; t < tags; t++) {
                    out.u16(d.below(1 << 16)); // TCI
                    out.u16(t == tags - 1 ? ethertype
                            : d.pickInt(FrameParser.ETHERTYPE_VLAN, FrameParser.ETHERTYPE_QINQ,
                                    FrameParser.ETHERTYPE_VLAN_9100));
                }
            }
            out.set16(ethertypeAt, first);
            needed = out.size();
        }
        Expected expected;
        if (ethertype == 0x0806) {
            out.bytes(d, 28);
            expected = new Expected(ifindex, direction, linkSource, 0, -1, 0, 0, 0, 0, 0, 0, 0, Integer.MAX_VALUE,
                    needed, Integer.MAX_VALUE, linkHeader);
        } else if (ethertype == FrameParser.ETHERTYPE_IPV4) {
            expected = ipv4(d, out, ifindex, direction, linkSource, linkHeader);
        } else {
            expected = ipv6(d, out, ifindex, direction, linkSource, linkHeader);
        }
        if (linkType == LinkType.ETHERNET) {
            while (out.size() < 60) {
                out.u8(d.bool() ? 0 : d.below(256)); // padding: never part of the datagram
            }
        }
        byte[] frame = out.toByteArray();
        int original = frame.length;
        int captured = d.oneIn(3) ? d.below(original + 1) : original;
        byte[] bytes = java.util.Arrays.copyOf(frame, Math.max(captured, 0) + (d.oneIn(4) ? d.below(32) : 0));
        java.util.Arrays.fill(bytes, captured, bytes.length, (byte) 0);
        if (bytes.length > captured) {
            d.fill(bytes, captured, bytes.length);
        }
        return new Frame(new Input(device, bytes, captured, original), expected);
    }

    private static Direction cookedDirection(int packetType, int hardwareType) {
        if (hardwareType == FrameParser.ARPHRD_LOOPBACK) {
            return Direction.LOOPBACK;
        }
        return packetType == 4 ? Direction.OUTGOING : packetType == 3 ? Direction.OTHER_HOST : Direction.INCOMING;
    }

    private static Expected ipv4(Draws d, Out out, int ifindex, Direction direction, long linkSource, int linkHeader) {
        int o = out.size();
        int ihl = d.oneIn(4) ? d.between(6, 15) : 5;
        int protocol = d.pickInt(ParsedPacket.UDP, ParsedPacket.TCP, d.pickInt(OTHER_PROTOCOLS));
        byte[] transport = transport(d, protocol);
        int flagsAt = protocol == ParsedPacket.TCP ? o + ihl * 4 + 13 : Integer.MAX_VALUE;
        int src = d.int32();
        int dst = d.int32();
        boolean bigTcp = d.oneIn(16);
        out.u8(0x40 | ihl);
        out.u8(d.below(256));
        out.u16(bigTcp ? 0 : ihl * 4 + transport.length);
        out.u16(d.below(1 << 16));
        out.u16(d.pickInt(0, 0x4000, 0x2000)); // first fragments only: later ones need the first
        out.u8(d.below(256));
        out.u8(protocol);
        out.u16(d.below(1 << 16));
        out.u32(src);
        out.u32(dst);
        out.bytes(d, (ihl - 5) * 4);
        out.write(transport, 0, transport.length);
        boolean ports = protocol == ParsedPacket.TCP || protocol == ParsedPacket.UDP;
        int needed = ports ? o + ihl * 4 + 4 : o + 20;
        return new Expected(ifindex, direction, linkSource, 4, protocol, 0, Addresses.v4Lo(src), 0,
                Addresses.v4Lo(dst), ports ? u16(transport, 0) : 0, ports ? u16(transport, 2) : 0,
                protocol == ParsedPacket.TCP ? transport[13] & 0xff : 0, flagsAt, needed, o + 20, linkHeader);
    }

    private static Expected ipv6(Draws d, Out out, int ifindex, Direction direction, long linkSource, int linkHeader) {
        int o = out.size();
        int protocol = d.pickInt(ParsedPacket.UDP, ParsedPacket.TCP, d.pickInt(OTHER_PROTOCOLS));
        int count = d.oneIn(3) ? d.between(1, 8) : 0;
        ByteArrayOutputStream chain = new ByteArrayOutputStream();
        List<Integer> types = new ArrayList<>();
        boolean fragmentHeader = false;
        for (int i = 0; i < count; i++) {
            int type = d.pickInt(EXTENSIONS);
            if (type == 44 && fragmentHeader) {
                type = 60;
            }
            fragmentHeader |= type == 44;
            types.add(type);
        }
        int first = types.isEmpty() ? protocol : types.get(0);
        int lastHeaderAt = o;
        for (int i = 0; i < types.size(); i++) {
            int type = types.get(i);
            int next = i + 1 < types.size() ? types.get(i + 1) : protocol;
            lastHeaderAt = o + 40 + chain.size();
            Out h = new Out();
            h.u8(next);
            if (type == 44) {
                h.u8(0);
                h.u16(d.bool() ? 1 : 0); // offset 0; M or an atomic fragment
                h.u32(d.int32());
            } else if (type == 51) {
                int units = d.between(0, 6); // AH: (units + 2) * 4 bytes
                h.u8(units);
                h.bytes(d, (units + 2) * 4 - 2);
            } else {
                int units = d.oneIn(4) ? d.between(1, 4) : 0; // (units + 1) * 8 bytes
                h.u8(units);
                h.bytes(d, (units + 1) * 8 - 2);
            }
            chain.writeBytes(h.toByteArray());
        }
        byte[] transport = transport(d, protocol);
        long srcHi = d.int64();
        long srcLo = d.int64();
        long dstHi = d.int64();
        long dstLo = d.int64();
        boolean jumbo = d.oneIn(16);
        out.u32(0x6000_0000 | d.below(1 << 20));
        out.u16(jumbo ? 0 : chain.size() + transport.length);
        out.u8(first);
        out.u8(d.below(256));
        out.u64(srcHi);
        out.u64(srcLo);
        out.u64(dstHi);
        out.u64(dstLo);
        out.writeBytes(chain.toByteArray());
        out.write(transport, 0, transport.length);
        int transportAt = o + 40 + chain.size();
        boolean ports = protocol == ParsedPacket.TCP || protocol == ParsedPacket.UDP;
        int needed = ports ? transportAt + 4 : types.isEmpty() ? o + 40 : lastHeaderAt + 8;
        return new Expected(ifindex, direction, linkSource, 6, protocol, srcHi, srcLo, dstHi, dstLo,
                ports ? u16(transport, 0) : 0, ports ? u16(transport, 2) : 0,
                protocol == ParsedPacket.TCP ? transport[13] & 0xff : 0,
                protocol == ParsedPacket.TCP ? transportAt + 13 : Integer.MAX_VALUE, needed, o + 40, linkHeader);
    }

    private static byte[] transport(Draws d, int protocol) {
        Out t = new Out();
        if (protocol == ParsedPacket.TCP) {
            int words = d.oneIn(4) ? d.between(6, 15) : 5;
            t.u16(d.pickInt(d.below(1 << 16), 0, 65535, 443));
            t.u16(d.pickInt(d.below(1 << 16), 0, 65535, 80));
            t.u32(d.int32());
            t.u32(d.int32());
            t.u8(words << 4);
            t.u8(d.below(256));
            t.u16(d.below(1 << 16));
            t.u32(d.int32());
            t.bytes(d, (words - 5) * 4);
        } else if (protocol == ParsedPacket.UDP) {
            t.u16(d.pickInt(d.below(1 << 16), 0, 65535, 53));
            t.u16(d.pickInt(d.below(1 << 16), 0, 65535, 4789));
            t.u16(d.below(1 << 16));
            t.u16(d.below(1 << 16));
        }
        t.bytes(d, d.below(48));
        return t.toByteArray();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    /** A byte sink with the network-order writes a header needs. */
    static final class Out extends ByteArrayOutputStream {
        void u8(int v) {
            write(v & 0xff);
        }

        void u16(int v) {
            u8(v >>> 8);
            u8(v);
        }

        void u32(int v) {
            u16(v >>> 16);
            u16(v);
        }

        void u64(long v) {
            u32((int) (v >>> 32));
            u32((int) v);
        }

        void set16(int at, int v) {
            buf[at] = (byte) (v >>> 8);
            buf[at + 1] = (byte) v;
        }

        void bytes(Draws d, int n) {
            for (int i = 0; i < n; i++) {
                u8(d.below(256));
            }
        }
    }
}
