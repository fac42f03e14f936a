package io.podhogs.identity;

import java.util.regex.Pattern;
import io.podhogs.capture.Addresses;

/**
 * An address range, IPv4 ranges held as their IPv4-mapped IPv6 range (the engine's form of every
 * address), so that one comparison serves both families.
 *
 * @param prefixLength of the 128-bit form (an IPv4 /16 is a /112)
 */
public record Cidr(long hi, long lo, int prefixLength) {
    /** Four dotted octets, or an IPv6 literal (it has a ':'), and a prefix length: nothing a resolver would look up. */
    private static final Pattern LITERAL = Pattern.compile(
            "(\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F.:]*:[0-9a-fA-F.:]*)/\\d{1,3}");

    /**
     * Parses "10.244.0.0/16" or "fd00:10:96::/112". A literal only: a name would be looked up in
     * DNS by the JDK's parser, so anything else is refused first.
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0 || !LITERAL.matcher(s).matches()) {
            throw new IllegalArgumentException("not an address range: '" + text + "' (like 10.244.0.0/16 or fd00::/108)");
        }
        String address = s.substring(0, slash);
        long[] a = Addresses.parse(address);
        int length = Integer.parseInt(s.substring(slash + 1));
        boolean v4 = !address.contains(":");
        if (length > (v4 ? 32 : 128)) {
            throw new IllegalArgumentException("prefix length " + length + " is too long in '" + text + "'");
        }
        int prefix = v4 ? length + 96 : length;
        return new Cidr(a[0] & mask(prefix, 0), a[1] & mask(prefix, 64), prefix);
    }

    /** The bits of the prefix that fall in the 64-bit word starting at bit {@code from}. */
    private static long mask(int prefix, int from) {
        int bits = Math.max(0, Math.min(64, prefix - from));
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    public boolean contains(long addressHi, long addressLo) {
        return (addressHi & mask(prefixLength, 0)) == hi && (addressLo & mask(prefixLength, 64)) == lo;
    }

    @Override
    public String toString() {
        boolean v4 = Addresses.isV4Mapped(hi, lo) && prefixLength >= 96;
        return Addresses.format(hi, lo) + "/" + (v4 ? prefixLength - 96 : prefixLength);
    }
}
