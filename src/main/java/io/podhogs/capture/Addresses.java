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

    /** "10.0.0.1:443", "[fd00::1]:443": an address and port as ss and URLs write them. */
    public static String endpoint(long hi, long lo, int port) {
        String address = format(hi, lo);
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /**
     * Parses a literal IPv4 (four decimal octets) or IPv6 address into {hi, lo}. Anything else is
     * refused before the JDK sees it: its parser looks a name up in DNS, and takes "" for loopback.
     */
    public static long[] parse(String literal) {
        int v4 = dottedQuad(literal);
        if (v4 != -1 || literal.equals("255.255.255.255")) {
            return new long[] {0, v4Lo(v4)};
        }
        // With a ':' and a hex digit or ':' first, the JDK parses a literal or fails, never looks up.
        boolean v6 = literal.indexOf(':') >= 0 && !literal.isEmpty()
                && (Character.digit(literal.charAt(0), 16) >= 0 || literal.charAt(0) == ':')
                && literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        if (v6) {
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
        throw new IllegalArgumentException("not an address: " + literal);
    }

    /** "a.b.c.d" with decimal octets (0 to 255, no leading zero) as an int, else -1 (255.255.255.255 too: checked apart). */
    private static int dottedQuad(String s) {
        int value = 0;
        int octets = 0;
        int i = 0;
        while (octets < 4) {
            int start = i;
            int octet = 0;
            while (i < s.length() && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i++) - '0');
            }
            if (i == start || octet > 255 || s.charAt(start) == '0' && i - start > 1) {
                return -1; // a leading zero is octal to inet_aton: ambiguous, so refused
            }
            value = value << 8 | octet;
            octets++;
            if (octets < 4) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == s.length() ? value : -1;
    }
}
