package io.podhogs.engine;

import io.podhogs.accounting.TrafficDelta;
import io.podhogs.attribution.FlowKey;
import io.podhogs.attribution.FlowTable;
import io.podhogs.attribution.FlowTableView;
import io.podhogs.attribution.Owner;
import io.podhogs.attribution.TrackedFlow;
import io.podhogs.identity.RemoteClassifier;
import io.podhogs.identity.RemotePeer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine's record of every flow in the table, by slot: its owner once known, how much of the
 * table's counters has been credited to it, when it last counted a packet, and its other end's
 * class. Parallel arrays, {@value #BYTES_PER_SLOT} bytes a slot, and no object per flow: a flood of
 * a million short flows must neither fill the heap with small objects nor keep the collector busy.
 * The resolver's {@link TrackedFlow} is kept beside a slot only while the resolver works on it.
 *
 * <p>Bytes counted before the owner is known stay uncredited in the table's counters until it is.
 * Engine thread only.
 */
final class FlowStates {
    /**
     * Owner, peer and resolver references (12), the flags (1), the credited counters (32), the last
     * active tick (4), the list of flows the resolver has and each one's place in it (8).
     */
    static final int BYTES_PER_SLOT = 12 + 1 + 32 + 4 + 8;

    private static final byte LIVE = 1;
    private static final byte UNCOUNTED = 2;
    private static final byte INFERRED = 4;
    /** {@link #peer} is what the classifier of {@link #classifierVersion} says. */
    private static final byte PEER_CURRENT = 8;
    static final int CANONICAL_OWNERS = 16_384;

    private Owner[] owner = new Owner[0];
    private byte[] flags = new byte[0];
    private long[] sentBytes = new long[0];
    private long[] sentPackets = new long[0];
    private long[] receivedBytes = new long[0];
    private long[] receivedPackets = new long[0];
    /** The tick at which the slot last counted a packet (or was made). */
    private int[] lastActiveTick = new int[0];
    /** The other end as a classifier named it (the last one, where {@link #PEER_CURRENT} says so). */
    private RemotePeer[] peer = new RemotePeer[0];
    private long classifierVersion = Long.MIN_VALUE;
    private TrackedFlow[] resolving = new TrackedFlow[0];
    /**
     * The slots {@link #resolving} names, each once: followed at every credit whether or not they
     * counted a packet (an owner found for a quiet flow credits its waiting bytes), where the others
     * are visited only when touched.
     */
    private int[] following = new int[0];
    /** Per slot: its place in {@link #following} plus one, 0 when it is not there. */
    private int[] followingAt = new int[0];
    private int followingCount;
    private int live;
    /**
     * One instance of each owner the flows name: the resolver makes an owner per flow (a process's,
     * a namespace's unknown bucket), and a million flows must not keep a million copies of a few.
     * Cleared when it reaches its bound: only sharing is lost then.
     */
    private final Map<Owner, Owner> canonical = new HashMap<>();

    /** Makes room for as many slots as the table has (it grows by doubling, up to its bound). */
    void ensureCapacity(int capacity) {
        if (owner.length >= capacity) {
            return;
        }
        owner = Arrays.copyOf(owner, capacity);
        flags = Arrays.copyOf(flags, capacity);
        sentBytes = Arrays.copyOf(sentBytes, capacity);
        sentPackets = Arrays.copyOf(sentPackets, capacity);
        receivedBytes = Arrays.copyOf(receivedBytes, capacity);
        receivedPackets = Arrays.copyOf(receivedPackets, capacity);
        lastActiveTick = Arrays.copyOf(lastActiveTick, capacity);
        peer = Arrays.copyOf(peer, capacity);
        resolving = Arrays.copyOf(resolving, capacity);
        following = Arrays.copyOf(following, capacity);
        followingAt = Arrays.copyOf(followingAt, capacity);
    }

    /** A new flow in {@code slot}, handed to the resolver as {@code flow}. */
    void add(TrackedFlow flow, int tick) {
        int s = flow.slot();
        clear(s);
        flags[s] = LIVE;
        lastActiveTick[s] = tick;
        resolving[s] = flow;
        following[followingCount++] = s;
        followingAt[s] = followingCount;
        live++;
    }

    /** The table freed {@code slot}: its flow is forgotten (its bytes stay in their account). */
    void release(int s) {
        if ((flags[s] & LIVE) != 0) {
            live--;
        }
        clear(s);
    }

    private void clear(int s) {
        owner[s] = null;
        flags[s] = 0;
        sentBytes[s] = sentPackets[s] = receivedBytes[s] = receivedPackets[s] = 0;
        peer[s] = null;
        resolving[s] = null;
        unfollow(s);
    }

    /** Takes the slot out of {@link #following}, the list's last taking its place. */
    private void unfollow(int s) {
        int at = followingAt[s] - 1;
        if (at < 0) {
            return;
        }
        int last = following[--followingCount];
        following[at] = last;
        followingAt[last] = at + 1;
        followingAt[s] = 0;
    }

    /** Slots the resolver still has a flow in. */
    int followingCount() {
        return followingCount;
    }

    /**
     * The {@code i}th of them. {@link #follow} takes a slot out once the resolver is done with it,
     * the last one taking its place: walk from the end.
     */
    int followingSlot(int i) {
        return following[i];
    }

    int live() {
        return live;
    }

    /** Flows the resolver still works on: at most its bounded lists hold. */
    boolean isLive(int s) {
        return (flags[s] & LIVE) != 0;
    }

    /**
     * Takes what the resolver decided for the slot's flow, and lets its object go once the resolver
     * is done with it. Returns the owner, null while it is not known.
     */
    Owner follow(int s) {
        TrackedFlow flow = resolving[s];
        if (flow != null) {
            owner[s] = canonical(flow.owner());
            byte f = (byte) (flags[s] & (LIVE | PEER_CURRENT));
            if (flow.uncounted()) {
                f |= UNCOUNTED;
            }
            if (flow.inferred()) {
                f |= INFERRED;
            }
            flags[s] = f;
            if (!flow.resolving()) {
                resolving[s] = null;
                unfollow(s);
            }
        }
        return owner[s];
    }

    private Owner canonical(Owner o) {
        if (o == null) {
            return null;
        }
        Owner known = canonical.get(o);
        if (known != null) {
            return known;
        }
        if (canonical.size() >= CANONICAL_OWNERS) {
            canonical.clear();
        }
        canonical.put(o, o);
        return o;
    }

    /**
     * Takes the slot's counters from {@code view}. Once the owner is known, what came since the last
     * call (everything, on the first call after the owner was found) is left in {@code delta}, and
     * true is returned if any.
     * While the owner is unknown nothing is taken: the bytes wait in the table's counters.
     */
    boolean takeDelta(int s, FlowTableView view, int tick, TrafficDelta delta) {
        if (view.touched(s)) {
            lastActiveTick[s] = tick;
        }
        if (owner[s] == null || (flags[s] & UNCOUNTED) != 0) {
            return false;
        }
        long sb = view.sentBytes(s);
        long sp = view.sentPackets(s);
        long rb = view.receivedBytes(s);
        long rp = view.receivedPackets(s);
        delta.set(sb - sentBytes[s], sp - sentPackets[s], rb - receivedBytes[s], rp - receivedPackets[s]);
        sentBytes[s] = sb;
        sentPackets[s] = sp;
        receivedBytes[s] = rb;
        receivedPackets[s] = rp;
        return delta.hasPackets();
    }

    /** Settled (owned, or nobody's) and no more in the resolver's hands: free to forget once idle. */
    boolean releasable(int s) {
        return (flags[s] & LIVE) != 0 && resolving[s] == null && (owner[s] != null || (flags[s] & UNCOUNTED) != 0);
    }

    int lastActiveTick(int s) {
        return lastActiveTick[s];
    }

    Owner owner(int s) {
        return owner[s];
    }

    boolean inferred(int s) {
        return (flags[s] & INFERRED) != 0;
    }

    long creditedSentBytes(int s) {
        return sentBytes[s];
    }

    long creditedSentPackets(int s) {
        return sentPackets[s];
    }

    long creditedReceivedBytes(int s) {
        return receivedBytes[s];
    }

    long creditedReceivedPackets(int s) {
        return receivedPackets[s];
    }

    /**
     * The other end as {@code classifier} sees it: looked up once per classifier version, not per
     * packet or per tick, so a pod that appears later gets its name at the next version (a new
     * version marks every flow's as stale, and each is looked up again when it next has bytes; the
     * stale one is still shown meanwhile). Null without a cluster, and for frames that are not IP.
     */
    RemotePeer peer(int s, FlowTable table, RemoteClassifier classifier) {
        if (!classifier.active()) {
            peer[s] = null;
            return null;
        }
        if (classifier.version() != classifierVersion) {
            for (int i = 0; i < flags.length; i++) {
                flags[i] &= ~PEER_CURRENT;
            }
            classifierVersion = classifier.version();
        }
        if ((flags[s] & PEER_CURRENT) == 0) {
            FlowKey key = table.key(s);
            flags[s] |= PEER_CURRENT;
            // ARP and the like have no remote address to classify.
            peer[s] = key.protocol() == FlowKey.NON_IP ? null
                    : classifier.classify(key.localHi(), key.localLo(), key.remoteHi(), key.remoteLo());
        }
        return peer[s];
    }

    /** The peer the last classifier named (null without a cluster, or before the first credit). */
    RemotePeer lastPeer(int s) {
        return peer[s];
    }
}
