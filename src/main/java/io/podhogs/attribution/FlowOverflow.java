package io.podhogs.attribution;

import io.podhogs.capture.ParsedPacket;

/**
 * The packets that found the flow table full, counted per interface bucket and side, so that each
 * device's accounts still add up to its counters: never dropped, only no longer told apart by flow.
 * Written under the flow table's lock; copied into the engine's view when it changed.
 */
final class FlowOverflow {
    /** Per bucket and side (host, far): sent bytes, sent packets, received bytes, received packets. */
    private final long[] counts = new long[FlowTable.OVERFLOW_BUCKETS * 2 * 4];
    private final int[] ifindex = new int[FlowTable.OVERFLOW_BUCKETS];
    private long packets;

    void count(ParsedPacket p, boolean farSide, boolean sent) {
        int bucket = p.ifindex & (FlowTable.OVERFLOW_BUCKETS - 1);
        int at = (bucket * 2 + (farSide ? 1 : 0)) * 4 + (sent ? 0 : 2);
        counts[at] += p.wireLength;
        counts[at + 1]++;
        ifindex[bucket] = p.ifindex;
        packets++;
    }

    /** Copies the counts into {@code view}, when they changed since it last took them. */
    void copyTo(FlowTableView view) {
        if (view.overflowPackets != packets) {
            System.arraycopy(counts, 0, view.overflow, 0, counts.length);
            System.arraycopy(ifindex, 0, view.overflowIfindex, 0, ifindex.length);
            view.overflowPackets = packets;
        }
    }
}
