package io.podhogs.engine;

import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.TrackedFlow;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.capture.ParsedPacket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Picks the connections the API lists: TCP and UDP flows of sockets here (not ARP, ICMP or relayed
 * frames), at most {@code max} of them. Those that moved bytes since the last copy come first, then
 * the most bytes: the API's rows are sorted by rate, and a flow idle since the last copy has none.
 * The selection keeps a heap of {@code max} entries; nothing is allocated for the flows it passes over.
 */
final class ConnectionSelection {
    private final int max;
    private final Comparator<TrackedFlow> leastBusyFirst;
    private final long activeSinceNanos;

    private ConnectionSelection(int max, long activeSinceNanos) {
        this.max = max;
        this.activeSinceNanos = activeSinceNanos;
        this.leastBusyFirst = Comparator.comparingInt((TrackedFlow f) -> active(f) ? 1 : 0)
                .thenComparingLong(ConnectionSelection::bytes);
    }

    /**
     * The listed connections among {@code flows[0..highWater)} (null entries are free slots), as of
     * {@code nowNanos}; {@code activeSinceNanos} is when the last copy was made.
     */
    static Connections select(TrackedFlow[] flows, int highWater, int max, long activeSinceNanos, long nowNanos) {
        return new ConnectionSelection(max, activeSinceNanos).run(flows, highWater, nowNanos);
    }

    private Connections run(TrackedFlow[] flows, int highWater, long nowNanos) {
        PriorityQueue<TrackedFlow> kept = new PriorityQueue<>(Math.max(1, Math.min(max, 1024)), leastBusyFirst);
        long listable = 0;
        for (int s = 0; s < highWater; s++) {
            TrackedFlow flow = flows[s];
            if (!listable(flow)) {
                continue;
            }
            listable++;
            if (kept.size() < max) {
                kept.add(flow);
            } else if (max > 0 && leastBusyFirst.compare(flow, kept.peek()) > 0) {
                kept.poll();
                kept.add(flow);
            }
        }
        List<TrackedFlow> busiestFirst = new ArrayList<>(kept);
        busiestFirst.sort(leastBusyFirst.reversed());
        List<FlowSnapshot> copy = new ArrayList<>(busiestFirst.size());
        for (TrackedFlow flow : busiestFirst) {
            copy.add(new FlowSnapshot(flow.key(), flow.owner(), flow.lastPeer(), new Traffic(flow.creditedSentBytes(),
                    flow.creditedSentPackets(), flow.creditedReceivedBytes(), flow.creditedReceivedPackets()),
                    flow.inferred()));
        }
        return new Connections(copy, listable - copy.size(), nowNanos);
    }

    private static boolean listable(TrackedFlow flow) {
        return flow != null && flow.owner() != null && !(flow.owner() instanceof TransitOwner)
                && (flow.key().protocol() == ParsedPacket.TCP || flow.key().protocol() == ParsedPacket.UDP);
    }

    private boolean active(TrackedFlow flow) {
        return activeSinceNanos != Long.MIN_VALUE && flow.lastChangeNanos() - activeSinceNanos >= 0;
    }

    private static long bytes(TrackedFlow flow) {
        return flow.creditedSentBytes() + flow.creditedReceivedBytes();
    }
}
