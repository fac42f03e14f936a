package io.podhogs.engine;

import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.FlowTable;
import io.podhogs.attribution.Owner;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.capture.ParsedPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the connections the API lists: TCP and UDP flows of sockets here (not ARP, ICMP or relayed
 * frames), at most {@code max} of them. Those that counted packets since the last copy come first,
 * then the most bytes: the API's rows are sorted by rate, and a flow idle since the last copy has
 * none. A heap of {@code max} slot numbers does the picking; nothing is allocated for the flows it
 * passes over, and only the picked ones are copied.
 */
final class ConnectionSelection {
    private final FlowStates states;
    private final int activeSinceTick;
    private final int[] heap;
    private int size;

    private ConnectionSelection(FlowStates states, int max, int activeSinceTick) {
        this.states = states;
        this.activeSinceTick = activeSinceTick;
        this.heap = new int[Math.max(0, max)];
    }

    /**
     * The listed connections among the slots below {@code highWater}, as of {@code nowNanos};
     * {@code activeSinceTick} is the tick of the last copy.
     */
    static Connections select(FlowStates states, FlowTable table, int highWater, int max, int activeSinceTick,
                              long nowNanos) {
        ConnectionSelection selection = new ConnectionSelection(states, max, activeSinceTick);
        long listable = 0;
        for (int s = 0; s < highWater; s++) {
            if (selection.listable(s, table)) {
                listable++;
                selection.offer(s);
            }
        }
        int[] busiestFirst = selection.drain();
        List<FlowSnapshot> copy = new ArrayList<>(busiestFirst.length);
        for (int s : busiestFirst) {
            copy.add(new FlowSnapshot(table.key(s), states.owner(s), states.lastPeer(s), new Traffic(
                    states.creditedSentBytes(s), states.creditedSentPackets(s), states.creditedReceivedBytes(s),
                    states.creditedReceivedPackets(s)), states.inferred(s)));
        }
        return new Connections(copy, listable - copy.size(), nowNanos);
    }

    private boolean listable(int s, FlowTable table) {
        Owner owner = states.isLive(s) ? states.owner(s) : null;
        if (owner == null || owner instanceof TransitOwner) {
            return false;
        }
        int protocol = table.protocolOf(s);
        return protocol == ParsedPacket.TCP || protocol == ParsedPacket.UDP;
    }

    /** Busier: active since the last copy, then more bytes both ways. */
    private int compare(int a, int b) {
        int byActivity = Boolean.compare(active(a), active(b));
        return byActivity != 0 ? byActivity : Long.compare(bytes(a), bytes(b));
    }

    private boolean active(int s) {
        return activeSinceTick != Integer.MIN_VALUE && states.lastActiveTick(s) - activeSinceTick > 0;
    }

    private long bytes(int s) {
        return states.creditedSentBytes(s) + states.creditedReceivedBytes(s);
    }

    /** Keeps the {@code heap.length} busiest: a min-heap whose root is the least busy kept. */
    private void offer(int s) {
        if (size < heap.length) {
            heap[size] = s;
            up(size++);
        } else if (size > 0 && compare(s, heap[0]) > 0) {
            heap[0] = s;
            down(0);
        }
    }

    private int[] drain() {
        int[] out = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            out[i] = heap[0];
            heap[0] = heap[--size];
            down(0);
        }
        return out;
    }

    private void up(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (compare(heap[i], heap[parent]) >= 0) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void down(int i) {
        while (true) {
            int least = i;
            int l = 2 * i + 1;
            int r = l + 1;
            if (l < size && compare(heap[l], heap[least]) < 0) {
                least = l;
            }
            if (r < size && compare(heap[r], heap[least]) < 0) {
                least = r;
            }
            if (least == i) {
                return;
            }
            swap(i, least);
            i = least;
        }
    }

    private void swap(int i, int j) {
        int t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
    }
}
