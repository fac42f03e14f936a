package io.podhogs.capture;

/**
 * Remembers the ports of first IP fragments so that later fragments of the same datagram, which
 * carry no transport header, are counted on the same flow. Direct-mapped and fixed in size: a
 * collision forgets the older datagram (its later fragments then count as orphans), which keeps the
 * packet path free of allocation and of unbounded state. Owned by one capture thread.
 */
final class FragmentTable {
    private final int mask;
    private final long[] srcHi;
    private final long[] srcLo;
    private final long[] dstHi;
    private final long[] dstLo;
    /** IP identification (32 bits for IPv6, 16 for IPv4) and key protocol, packed; 0 = empty slot. */
    private final long[] idProto;
    private final int[] ports;
    /** The transport protocol of the first fragment, which later fragments may not show. */
    private final int[] protocols;

    FragmentTable(int sizePowerOfTwo) {
        if (Integer.bitCount(sizePowerOfTwo) != 1) {
            throw new IllegalArgumentException("size must be a power of two: " + sizePowerOfTwo);
        }
        mask = sizePowerOfTwo - 1;
        srcHi = new long[sizePowerOfTwo];
        srcLo = new long[sizePowerOfTwo];
        dstHi = new long[sizePowerOfTwo];
        dstLo = new long[sizePowerOfTwo];
        idProto = new long[sizePowerOfTwo];
        ports = new int[sizePowerOfTwo];
        protocols = new int[sizePowerOfTwo];
    }

    /**
     * Remembers the first fragment's protocol and ports. {@code keyProtocol} is what every fragment
     * of the datagram carries: the IPv4 protocol, or the IPv6 Fragment header's next header (which
     * differs from the transport protocol when extension headers follow the Fragment header).
     */
    void remember(ParsedPacket p, long id, int keyProtocol) {
        int slot = slot(p, id, keyProtocol);
        srcHi[slot] = p.srcHi;
        srcLo[slot] = p.srcLo;
        dstHi[slot] = p.dstHi;
        dstLo[slot] = p.dstLo;
        idProto[slot] = key(keyProtocol, id);
        ports[slot] = (p.srcPort << 16) | p.dstPort;
        protocols[slot] = p.protocol;
    }

    /** Fills the protocol and ports of a non-first fragment; false when its first fragment is unknown. */
    boolean recall(ParsedPacket p, long id, int keyProtocol) {
        int slot = slot(p, id, keyProtocol);
        if (idProto[slot] != key(keyProtocol, id) || srcHi[slot] != p.srcHi || srcLo[slot] != p.srcLo
                || dstHi[slot] != p.dstHi || dstLo[slot] != p.dstLo) {
            return false;
        }
        p.protocol = protocols[slot];
        p.srcPort = ports[slot] >>> 16;
        p.dstPort = ports[slot] & 0xffff;
        return true;
    }

    private static long key(int keyProtocol, long id) {
        // The +1 keeps a real key from ever being 0, the empty marker.
        return ((id & 0xffff_ffffL) << 8 | keyProtocol) + 1;
    }

    private int slot(ParsedPacket p, long id, int keyProtocol) {
        long h = p.srcLo * 0x9E3779B97F4A7C15L ^ p.dstLo * 0xC2B2AE3D27D4EB4FL ^ p.srcHi ^ p.dstHi ^ id * 31 + keyProtocol;
        h ^= h >>> 29;
        return (int) h & mask;
    }
}
