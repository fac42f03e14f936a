package io.podhogs.capture;

import io.podhogs.testing.Draws;
import java.util.ArrayList;
import java.util.List;

/**
 * Generated IP datagrams split into fragments (IPv4, and IPv6 with a Fragment header after an
 * optional hop-by-hop header and before optional destination options, as in ipv6-fragments.pcap),
 * delivered in any order, interleaved with each other and with unfragmented traffic.
 */
final class Fragments {
    private Fragments() {
    }

    /** One datagram: its key and ports; {@code fragmented} false for a datagram sent whole. */
    record Datagram(int ipVersion, int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort,
                    int dstPort, long id, boolean fragmented, boolean optionsAfterFragmentHeader,
                    boolean hopByHop) {
    }

    /** Fragment {@code index} (0 is the one with the transport header) of {@code datagram}. */
    record Piece(Datagram datagram, int index, FrameGen.Input input) {
        @Override
        public String toString() {
            return "fragment " + index + " of " + datagram + ": " + input;
        }
    }

    record Run(FrameGen.Device device, List<Piece> pieces) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(device + ":");
            pieces.forEach(p -> s.append("\n    ").append(p));
            return s.toString();
        }
    }

    private static FrameGen.Device device(Draws d) {
        return d.bool() ? new FrameGen.Device(LinkType.LINUX_SLL2, -1, -1)
                : new FrameGen.Device(LinkType.ETHERNET, FrameParser.ARPHRD_ETHER, FrameGen.DEVICE_MAC);
    }

    private static Datagram datagram(Draws d, boolean fragmented, long id, Datagram sameEnds) {
        int version = sameEnds != null ? sameEnds.ipVersion() : d.bool() ? 6 : 4;
        long srcHi = 0;
        long srcLo;
        long dstHi = 0;
        long dstLo;
        if (sameEnds != null) {
            srcHi = sameEnds.srcHi();
            srcLo = sameEnds.srcLo();
            dstHi = sameEnds.dstHi();
            dstLo = sameEnds.dstLo();
        } else if (version == 4) {
            srcLo = Addresses.v4Lo(d.int32());
            dstLo = Addresses.v4Lo(d.int32());
        } else {
            srcHi = d.int64();
            srcLo = d.int64();
            dstHi = d.int64();
            dstLo = d.int64();
        }
        int protocol = d.bool() ? ParsedPacket.UDP : ParsedPacket.TCP;
        return new Datagram(version, protocol, srcHi, srcLo, dstHi, dstLo, d.below(1 << 16), d.below(1 << 16),
                version == 4 ? id & 0xffff : id & 0xffff_ffffL, fragmented, version == 6 && d.oneIn(3),
                version == 6 && d.oneIn(3));
    }

    /** The frames of one datagram, fragment 0 first. */
    private static List<Piece> pieces(Draws d, FrameGen.Device device, Datagram g) {
        FrameGen.Out transport = new FrameGen.Out();
        transport.u16(g.srcPort());
        transport.u16(g.dstPort());
        if (g.protocol() == ParsedPacket.TCP) {
            transport.u32(d.int32());
            transport.u32(d.int32());
            transport.u16(0x5000 | d.below(256));
            transport.u16(d.below(1 << 16));
            transport.u32(0);
        } else {
            transport.u32(d.int32());
        }
        int count = g.fragmented() ? d.between(2, 4) : 1;
        List<Piece> pieces = new ArrayList<>();
        int offset = 0; // in 8-byte units
        for (int i = 0; i < count; i++) {
            FrameGen.Out payload = new FrameGen.Out();
            if (i == 0) {
                if (g.optionsAfterFragmentHeader()) {
                    payload.u8(g.protocol());
                    payload.u8(0);
                    payload.bytes(d, 6);
                }
                payload.writeBytes(transport.toByteArray());
            }
            boolean last = i == count - 1;
            int units = last ? 0 : d.between(1, 8);
            while (!last && payload.size() < units * 8 || payload.size() % 8 != 0 && !last) {
                payload.u8(d.below(256));
            }
            if (last) {
                payload.bytes(d, d.below(24));
            }
            byte[] data = payload.toByteArray();
            pieces.add(new Piece(g, i, frame(d, device, g, offset, !last && g.fragmented(), data)));
            offset += data.length / 8;
        }
        return pieces;
    }

    private static FrameGen.Input frame(Draws d, FrameGen.Device device, Datagram g, int offset, boolean more,
                                        byte[] data) {
        FrameGen.Out out = new FrameGen.Out();
        int ethertype = g.ipVersion() == 4 ? FrameParser.ETHERTYPE_IPV4 : FrameParser.ETHERTYPE_IPV6;
        if (device.linkType() == LinkType.LINUX_SLL2) {
            out.u16(ethertype);
            out.u16(0);
            out.u32(FrameGen.DEVICE_IFINDEX);
            out.u16(FrameParser.ARPHRD_ETHER);
            out.u8(4);
            out.u8(6);
            out.u32(0x0277_0000);
            out.u32(0x0001_0000);
        } else {
            out.u32(0x0277_0000);
            out.u16(0x0002);
            out.u32(0x0277_0000);
            out.u16(0x0001);
            out.u16(ethertype);
        }
        if (g.ipVersion() == 4) {
            out.u8(0x45);
            out.u8(0);
            out.u16(20 + data.length);
            out.u16((int) g.id());
            out.u16((more ? 0x2000 : 0) | offset);
            out.u8(64);
            out.u8(g.protocol());
            out.u16(0);
            out.u32((int) g.srcLo());
            out.u32((int) g.dstLo());
        } else {
            int extensions = (g.hopByHop() ? 8 : 0) + (g.fragmented() ? 8 : 0);
            out.u32(0x6000_0000);
            out.u16(extensions + data.length);
            int fragmentNext = g.optionsAfterFragmentHeader() ? 60 : g.protocol();
            out.u8(g.hopByHop() ? 0 : g.fragmented() ? 44 : fragmentNext);
            out.u8(64);
            out.u64(g.srcHi());
            out.u64(g.srcLo());
            out.u64(g.dstHi());
            out.u64(g.dstLo());
            if (g.hopByHop()) {
                out.u8(g.fragmented() ? 44 : fragmentNext);
                out.u8(0);
                out.u16(0x0104); // PadN of 4
                out.u32(0);
            }
            if (g.fragmented()) {
                out.u8(fragmentNext);
                out.u8(0);
                out.u16(offset << 3 | (more ? 1 : 0));
                out.u32((int) g.id());
            }
        }
        out.write(data, 0, data.length);
        byte[] bytes = out.toByteArray();
        return new FrameGen.Input(device, bytes, bytes.length, bytes.length);
    }

    /** Up to four datagrams with distinct keys (some with the same ends), fragments in any order, interleaved. */
    static Run mixed(Draws d) {
        FrameGen.Device device = device(d);
        int count = d.between(1, 4);
        long id = d.int32();
        List<List<Piece>> each = new ArrayList<>();
        Datagram previous = null;
        for (int i = 0; i < count; i++) {
            // Ids differ between datagrams, so no two share a key; the same ends test the rest of it.
            Datagram g = datagram(d, !d.oneIn(5), id + i, previous != null && d.bool() ? previous : null);
            each.add(shuffled(d, pieces(d, device, g)));
            previous = g;
        }
        return new Run(device, interleave(d, each));
    }

    /** One fragmented datagram in any order, among unfragmented frames of other flows. */
    static Run single(Draws d) {
        FrameGen.Device device = device(d);
        Datagram g = datagram(d, true, d.int32(), null);
        List<List<Piece>> each = new ArrayList<>();
        each.add(shuffled(d, pieces(d, device, g)));
        int others = d.below(4);
        for (int i = 0; i < others; i++) {
            each.add(pieces(d, device, datagram(d, false, d.int32(), d.bool() ? g : null)));
        }
        return new Run(device, interleave(d, each));
    }

    private static List<Piece> shuffled(Draws d, List<Piece> pieces) {
        List<Piece> out = new ArrayList<>(pieces);
        if (d.oneIn(3)) {
            for (int i = out.size() - 1; i > 0; i--) {
                int j = d.below(i + 1);
                Piece t = out.get(i);
                out.set(i, out.get(j));
                out.set(j, t);
            }
        }
        return out;
    }

    private static List<Piece> interleave(Draws d, List<List<Piece>> each) {
        List<Piece> out = new ArrayList<>();
        int[] next = new int[each.size()];
        int left = each.stream().mapToInt(List::size).sum();
        while (left > 0) {
            int k = d.below(each.size());
            while (next[k] == each.get(k).size()) {
                k = (k + 1) % each.size();
            }
            out.add(each.get(k).get(next[k]++));
            left--;
        }
        return out;
    }
}
