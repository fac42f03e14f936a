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
    /** IP identification (32 bits for IPv6, 16 for IPv4) and protocol, packed; 0 = empty slot. */
    private final long[] idProto;
    private final int[] ports;

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
    }

    void remember(ParsedPacket p, long id) {
        int slot = slot(p, id);
        srcHi[slot] = p.srcHi;
        srcLo[slot] = p.srcLo;
        dstHi[slot] = p.dstHi;
        dstLo[slot] = p.dstLo;
        idProto[slot] = key(p, id);
        ports[slot] = (p.srcPort << 16) | p.dstPort;
    }

    /** Fills the ports of a non-first fragment; false when its first fragment is unknown. */
    boolean recall(ParsedPacket p, long id) {
        int slot = slot(p, id);
        if (idProto[slot] != key(p, id) || srcHi[slot] != p.srcHi || srcLo[slot] != p.srcLo
                || dstHi[slot] != p.dstHi || dstLo[slot] != p.dstLo) {
            return false;
        }
        p.srcPort = ports[slot] >>> 16;
        p.dstPort = ports[slot] & 0xffff;
        return true;
    }

    private static long key(ParsedPacket p, long id) {
        // The +1 keeps a real key from ever being 0, the empty marker.
        return ((id & 0xffff_ffffL) << 8 | p.protocol) + 1;
    }

    private int slot(ParsedPacket p, long id) {
        long h = p.srcLo * 0x9E3779B97F4A7C15L ^ p.dstLo * 0xC2B2AE3D27D4EB4FL ^ p.srcHi ^ p.dstHi ^ id * 31 + p.protocol;
        h ^= h >>> 29;
        return (int) h & mask;
    }
}
