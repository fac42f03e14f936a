package io.podhogs.attribution;

import java.util.Arrays;

/**
 * The engine thread's copy of a {@link FlowTable}, refreshed by {@link FlowTable#exchange}: counters
 * of every slot (each exchange copies those of the slots touched since the one before: the others
 * have not changed), which slots those were, the slots of flows that appeared since, and the slots
 * released. Also carries the engine's requests to release idle slots
 * into the next exchange (the same list then holds those released). Owned by the engine thread; its
 * arrays are reused from tick to tick. Each slot costs {@value #BYTES_PER_SLOT} bytes here.
 */
public final class FlowTableView {
    /** The counters (32), the touched mark (1), the new, release and touched lists (12). */
    public static final int BYTES_PER_SLOT = 32 + 1 + 12;
    int highWater;
    int size;
    long[] sentBytes = new long[0];
    long[] sentPackets = new long[0];
    long[] receivedBytes = new long[0];
    long[] receivedPackets = new long[0];
    final TouchedSlots touched = new TouchedSlots(0);
    int[] newSlots = new int[0];
    int newCount;
    /** The release requests ({@code releaseCount}); after an exchange, the slots released ({@code releasedCount}). */
    int[] releaseSlots = new int[0];
    int releaseCount;
    int releasedCount;
    /** Packets that found the table full, as {@link FlowTable} keeps them per bucket and side. */
    final long[] overflow = new long[FlowTable.OVERFLOW_BUCKETS * 2 * 4];
    final int[] overflowIfindex = new int[FlowTable.OVERFLOW_BUCKETS];
    long overflowPackets;

    void ensureCapacity(int capacity) {
        if (sentBytes.length < capacity) {
            // Kept: an exchange copies only the counters that changed.
            sentBytes = Arrays.copyOf(sentBytes, capacity);
            sentPackets = Arrays.copyOf(sentPackets, capacity);
            receivedBytes = Arrays.copyOf(receivedBytes, capacity);
            receivedPackets = Arrays.copyOf(receivedPackets, capacity);
            touched.ensureCapacity(capacity);
            newSlots = new int[capacity];
            int[] slots = new int[capacity];
            // Pending requests, or this exchange's releases, made before it grew.
            System.arraycopy(releaseSlots, 0, slots, 0, Math.max(releaseCount, releasedCount));
            releaseSlots = slots;
        }
    }

    /**
     * Asks the next exchange to free {@code slot} unless it counts a packet before then. Call after
     * an exchange has handed the released slots over: the requests take the same list.
     */
    public void requestRelease(int slot) {
        if (releaseCount == releaseSlots.length) {
            return; // one request per live slot fits: only a slot asked for twice in one tick lands here
        }
        releaseSlots[releaseCount++] = slot;
        releasedCount = 0;
    }

    /** Call before each exchange: the released list is per exchange. */
    public void beginExchange() {
        releasedCount = 0;
    }

    public int highWater() {
        return highWater;
    }

    public int size() {
        return size;
    }

    public int newCount() {
        return newCount;
    }

    public int newSlot(int i) {
        return newSlots[i];
    }

    public int releasedCount() {
        return releasedCount;
    }

    public int releasedSlot(int i) {
        return releaseSlots[i];
    }

    /** Whether the slot counted a packet (or was made) between the last two exchanges. */
    public boolean touched(int slot) {
        return touched.touched(slot);
    }

    /** How many slots {@link #touched} marks: the only ones whose counters the last exchange changed. */
    public int touchedCount() {
        return touched.count();
    }

    /** The {@code i}th of them, each once, in no particular order. */
    public int touchedSlot(int i) {
        return touched.slot(i);
    }

    public long sentBytes(int slot) {
        return sentBytes[slot];
    }

    public long sentPackets(int slot) {
        return sentPackets[slot];
    }

    public long receivedBytes(int slot) {
        return receivedBytes[slot];
    }

    public long receivedPackets(int slot) {
        return receivedPackets[slot];
    }

    /** Packets that ever found the table full, in all. */
    public long overflowPackets() {
        return overflowPackets;
    }

    /**
     * What found the table full on one bucket's interface and side ({@code farSide} false: the
     * host's), field 0 to 3: sent bytes, sent packets, received bytes, received packets.
     */
    public long overflow(int bucket, boolean farSide, int field) {
        return overflow[(bucket * 2 + (farSide ? 1 : 0)) * 4 + field];
    }

    /** The interface whose packets last overflowed into {@code bucket}. */
    public int overflowIfindex(int bucket) {
        return overflowIfindex[bucket];
    }
}
