package io.podhogs.attribution;

import io.podhogs.capture.ParsedPacket;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * TCP connections each asked for by its four-tuple ({@link HostSocketLookup}) instead of being
 * looked for in a table read: microseconds, not milliseconds. The host's, when the host offers
 * sock_diag; a pod namespace's, when it can be entered ({@link NamespaceLookups}). Keeps when the
 * pending flows were last asked for, which says which are due a look and whether a flow's socket was
 * looked for after its grace. Engine thread only.
 */
final class ExactConnections implements NamespaceSockets.Exact, AutoCloseable {
    private final HostSocketLookup host;
    private final NamespaceLookups namespaces;
    private final LongSupplier clock;
    /** When every pending flow was last asked for. */
    private final Moment everyFlow = new Moment();
    /** Just after the last look of any kind ended: flows newer than it are due one. */
    private final Moment lastLook = new Moment();
    /** Passes of {@link #lookUp} so far: a flow asked for in this one is not asked again in it. */
    private long pass;

    ExactConnections(HostSocketLookup host, NamespaceLookups namespaces, LongSupplier clock) {
        this.host = host;
        this.namespaces = namespaces;
        this.clock = clock;
    }

    /**
     * The lookup that answers for a TCP flow whose tables are namespace {@code netns}'s: the host's
     * for the host's side of an interface, else the namespace's; null when the tables must answer
     * (UDP, a namespace not known yet or that cannot be entered).
     */
    private HostSocketLookup lookupFor(long netns, FlowKey key) {
        if (key.protocol() != ParsedPacket.TCP) {
            return null;
        }
        if (!key.has(FlowKey.PEER)) {
            return host.available() ? host : null;
        }
        return netns == VethNamespaces.UNKNOWN ? null : namespaces.of(netns);
    }

    /** A TCP flow whose socket is asked for on its own, without reading the tables. */
    @Override
    public boolean covers(long netns, FlowKey key) {
        return lookupFor(netns, key) != null;
    }

    /**
     * Asks for the sockets of the pending TCP flows that a lookup covers: newest first, since the
     * newest is the one whose socket may be about to go; on a tick every flow still without one,
     * else only those not asked for yet (an accepted connection's socket gets its inode when the
     * server accepts it, which the ticks' looks catch).
     *
     * @param netnsOf the namespace whose tables would answer for a flow
     */
    void lookUp(boolean tick, List<TrackedFlow> pending, ToLongFunction<TrackedFlow> netnsOf) {
        long now = clock.getAsLong();
        pass++;
        for (int i = pending.size() - 1; i >= 0; i--) {
            TrackedFlow flow = pending.get(i);
            FlowKey key = flow.key();
            boolean due = tick || !lastLook.after(flow.firstSeenNanos());
            if (!due || flow.inode() != 0 || !SocketlessOwners.socketKind(key)) {
                continue;
            }
            HostSocketLookup lookup = lookupFor(netnsOf.applyAsLong(flow), key);
            if (lookup == null) {
                continue;
            }
            SocketEntry socket = lookup.connection(key);
            flow.askedInPass(pass);
            if (socket != null) {
                if (lookup.listener(key) != null) {
                    flow.markAccepted();
                }
                flow.socket(socket, clock.getAsLong());
            }
        }
        lastLook.set(now + 1);
        if (tick) {
            everyFlow.set(now); // every pending flow has been asked for since
        }
    }

    /** The connection's socket, or null; only for a flow {@link #covers} says yes to. */
    @Override
    public SocketEntry connection(long netns, FlowKey key) {
        HostSocketLookup lookup = lookupFor(netns, key);
        return lookup == null ? null : lookup.connection(key);
    }

    /**
     * The flow's socket, or null; not asked again if this pass of {@link #lookUp} already asked and
     * missed (microseconds later the answer is the same: on the scale rig, sockets already gone were
     * asked for two and three times a tick through the half-second grace, an eighth of the engine).
     */
    SocketEntry connection(long netns, TrackedFlow flow) {
        return flow.askedInPass() == pass ? null : connection(netns, flow.key());
    }

    /** The socket listening on the flow's local end, or null; only for a flow {@link #covers} says yes to. */
    SocketEntry listener(long netns, FlowKey key) {
        HostSocketLookup lookup = lookupFor(netns, key);
        return lookup == null ? null : lookup.listener(key);
    }

    /** Whether every pending flow was asked for at {@code t} or later. */
    boolean everyFlowAskedSince(long t) {
        return everyFlow.since(t);
    }

    /** Closes the lookups of namespaces not in {@code live}. */
    void retain(Set<Long> live) {
        namespaces.retain(live);
    }

    /** Namespaces whose tables were read because the most lookups were open. */
    long turnedAway() {
        return namespaces.turnedAway();
    }

    /** Closes the namespaces' lookups (the host's is the engine's to close). */
    @Override
    public void close() {
        namespaces.close();
    }
}
