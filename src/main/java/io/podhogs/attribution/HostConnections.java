package io.podhogs.attribution;

import io.podhogs.capture.ParsedPacket;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The host's TCP connections, each asked for by its four-tuple ({@link HostSocketLookup}, when the
 * host offers it) instead of being looked for in a table read: microseconds, not milliseconds.
 * Keeps when the pending flows were last asked for, which says which are due a look and whether a
 * flow's socket was looked for after its grace. Engine thread only.
 */
final class HostConnections {
    private final HostSocketLookup lookup;
    private final LongSupplier clock;
    /** When every pending flow was last asked for. */
    private final Moment everyFlow = new Moment();
    /** Just after the last look of any kind ended: flows newer than it are due one. */
    private final Moment lastLook = new Moment();

    HostConnections(HostSocketLookup lookup, LongSupplier clock) {
        this.lookup = lookup;
        this.clock = clock;
    }

    /** A host TCP flow, whose socket is asked for on its own, without reading the tables. */
    boolean covers(FlowKey key) {
        return lookup.available() && !key.has(FlowKey.PEER) && key.protocol() == ParsedPacket.TCP;
    }

    /**
     * Asks for the sockets of the pending host TCP flows: newest first, since the newest is the one
     * whose socket may be about to go; on a tick every flow still without one, else only those not
     * asked for yet (an accepted connection's socket gets its inode when the server accepts it,
     * which the ticks' looks catch).
     */
    void lookUp(boolean tick, List<TrackedFlow> pending) {
        if (!lookup.available()) {
            return;
        }
        long now = clock.getAsLong();
        for (int i = pending.size() - 1; i >= 0; i--) {
            TrackedFlow flow = pending.get(i);
            FlowKey key = flow.key();
            boolean due = tick || !lastLook.after(flow.firstSeenNanos());
            if (due && flow.inode() == 0 && covers(key) && SocketlessOwners.socketKind(key)) {
                SocketEntry socket = lookup.connection(key);
                if (socket != null) {
                    if (lookup.listener(key) != null) {
                        flow.markAccepted();
                    }
                    flow.socket(socket, clock.getAsLong());
                }
            }
        }
        lastLook.set(now + 1);
        if (tick) {
            everyFlow.set(now); // every pending flow has been asked for since
        }
    }

    /** The connection's socket, or null. */
    SocketEntry connection(FlowKey key) {
        return lookup.connection(key);
    }

    /** The socket listening on the flow's local end, or null. */
    SocketEntry listener(FlowKey key) {
        return lookup.listener(key);
    }

    /** Whether every pending flow was asked for at {@code t} or later. */
    boolean everyFlowAskedSince(long t) {
        return everyFlow.since(t);
    }
}
