package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What holds for every parse, whatever the frame: the domains of ParsedPacket's fields. */
final class FrameChecks {
    private FrameChecks() {
    }

    /**
     * Bytes as the interface counts them, from pcap's length alone (README, How it counts): minus
     * the cooked header, plus the device's own link header by its ARPHRD type.
     */
    static int wireLength(FrameGen.Input in) {
        int captured = Math.max(0, Math.min(in.captured(), in.bytes().length));
        int original = Math.max(in.original(), captured);
        byte[] f = in.bytes();
        return switch (in.device().linkType()) {
            case LINUX_SLL2 -> captured < 20 ? Math.max(0, original - 20) : original - 20 + linkHeader(u16(f, 8));
            case LINUX_SLL -> captured < 16 ? Math.max(0, original - 16) : original - 16 + linkHeader(u16(f, 2));
            case ETHERNET -> Math.max(0, original - 14 + linkHeader(in.device().hardwareType() == 0
                    ? FrameParser.ARPHRD_ETHER : in.device().hardwareType()));
            case RAW -> original;
        };
    }

    private static int linkHeader(int hardwareType) {
        return hardwareType == 1 || hardwareType == 6 ? 14 : 0;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    /** The parse of {@code in} is within its domain. */
    static void domains(FrameGen.Input in, ParsedPacket p) {
        int captured = Math.max(0, Math.min(in.captured(), in.bytes().length));
        int original = Math.max(in.original(), captured);
        assertEquals(wireLength(in), p.wireLength, "wire length");
        assertTrue(p.wireLength >= 0 && p.wireLength <= (long) original + 14, "wire length within the frame");
        assertTrue(p.srcPort >= 0 && p.srcPort <= 65535 && p.dstPort >= 0 && p.dstPort <= 65535, "ports");
        assertTrue(p.ipVersion == 0 || p.ipVersion == 4 || p.ipVersion == 6, "IP version");
        assertTrue(p.protocol >= -1 && p.protocol <= 255, "protocol");
        assertTrue(p.tcpFlags >= 0 && p.tcpFlags <= 255, "TCP flags");
        assertTrue(p.ifindex >= 0, "interface index");
        assertNotNull(p.direction, "direction");
        assertFalse(p.truncated && p.malformed, "truncated and malformed at once");
        assertTrue(!p.truncated || captured < original, "truncated although nothing was cut");
        if (p.hasPorts()) {
            assertTrue(p.ipVersion != 0, "ports without IP");
        }
        if (p.protocol != ParsedPacket.TCP && p.protocol != ParsedPacket.UDP) {
            assertEquals(0, p.srcPort + p.dstPort, "ports of a protocol without ports");
        }
        if (p.protocol != ParsedPacket.TCP) {
            assertEquals(0, p.tcpFlags, "TCP flags of another protocol");
        }
        if (p.ipVersion == 0) {
            assertEquals(-1, p.protocol, "a protocol without IP");
            assertEquals(0, p.srcHi | p.srcLo | p.dstHi | p.dstLo, "addresses without IP");
        }
        if (p.ipVersion == 4) {
            assertTrue(p.srcLo == 0 && p.dstLo == 0 || Addresses.isV4Mapped(p.srcHi, p.srcLo)
                    && Addresses.isV4Mapped(p.dstHi, p.dstLo), "IPv4 addresses in the IPv4-mapped form");
        }
        if (p.orphanFragment) {
            assertFalse(p.hasPorts(), "an orphan fragment with ports");
        }
        if (in.device().linkType() == LinkType.RAW) {
            assertEquals(-1, p.linkSource, "raw IP has no link addresses");
        } else {
            assertTrue(p.linkSource >= -1 && p.linkSource < 1L << 48, "link source is a MAC or -1");
        }
    }
}
