package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the socket lists of /proc/net/{tcp,tcp6,udp,udp6}. The kernel prints each 32-bit word of
 * an address in host byte order as hex, ports in network order already converted; this code runs
 * on little-endian hosts (x86-64, arm64), which is what it assumes.
 */
public final class ProcNetParser {
    private ProcNetParser() {
    }

    /** Every parseable line; the header and malformed lines are skipped. */
    public static List<SocketEntry> parse(int protocol, List<String> lines) {
        List<SocketEntry> entries = new ArrayList<>(lines.size());
        for (String line : lines) {
            SocketEntry entry = parseLine(protocol, line);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    static SocketEntry parseLine(int protocol, String line) {
        String[] f = line.trim().split("\\s+");
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
        if (f.length < 10 || !f[0].endsWith(":")) {
            return null;
        }
        try {
            long[] local = address(f[1]);
            long[] remote = address(f[2]);
            if (local == null || remote == null) {
                return null;
            }
            // The uid is the kernel's u32, kept in an int as sock_diag gives it (above 2^31-1 negative).
            return new SocketEntry(protocol, local[0], local[1], (int) local[2], remote[0], remote[1], (int) remote[2],
                    (int) hex(f[3], 2), Integer.parseUnsignedInt(f[7]), inode(f[9]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "0100007F:0016" or 32 hex digits ":port" to {hi, lo, port}. */
    private static long[] address(String field) {
        int colon = field.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String hex = field.substring(0, colon);
        long port = hex(field.substring(colon + 1), 4);
        if (hex.length() == 8) {
            return new long[] {0, Addresses.v4Lo(word(hex, 0)), port};
        }
        if (hex.length() == 32) {
            long hi = ((long) word(hex, 0) << 32) | (word(hex, 8) & 0xffff_ffffL);
            long lo = ((long) word(hex, 16) << 32) | (word(hex, 24) & 0xffff_ffffL);
            return new long[] {hi, lo, port};
        }
        return null;
    }

    /** One 32-bit word printed in little-endian host order, back to network order. */
    private static int word(String hex, int at) {
        return Integer.reverseBytes((int) hex(hex.substring(at, at + 8), 8));
    }

    /** A decimal inode: digits only, within a long. */
    private static long inode(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException("not an inode: " + s);
        }
        return Long.parseLong(s);
    }

    /** Up to {@code digits} hex digits, nothing else (no sign): what the kernel prints with %0NX. */
    private static long hex(String s, int digits) {
        if (s.isEmpty() || s.length() > digits) {
            throw new NumberFormatException("not " + digits + " hex digits: " + s);
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new NumberFormatException("not hex: " + s);
            }
            value = value << 4 | d;
        }
        return value;
    }
}
