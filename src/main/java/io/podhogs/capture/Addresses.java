package io.podhogs.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * 128-bit addresses as two longs (high and low 64 bits, network order), IPv4 as IPv4-mapped IPv6.
 * Used by the parser on the packet path (no objects) and by /proc readers and displays.
 */
public final class Addresses {
    /** Low word prefix of IPv4-mapped addresses: 0000:ffff in bits 32..63. */
    public static final long V4_MAPPED_LO_PREFIX = 0x0000_ffff_0000_0000L;

    private Addresses() {
    }

    public static long v4Lo(int ipv4) {
        return V4_MAPPED_LO_PREFIX | (ipv4 & 0xffff_ffffL);
    }

    public static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED_LO_PREFIX;
    }

    public static String format(long hi, long lo) {
        if (isV4Mapped(hi, lo)) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        try {
            byte[] b = ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes is always a valid address
        }
    }

    /** Parses a literal IPv4 or IPv6 address (no name lookup) into {hi, lo}. */
    public static long[] parse(String literal) {
        try {
            byte[] b = InetAddress.getByName(literal).getAddress();
            if (b.length == 4) {
                return new long[] {0, v4Lo(ByteBuffer.wrap(b).getInt())};
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            return new long[] {buf.getLong(), buf.getLong()};
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }
}
