package io.podhogs.engine;

import io.podhogs.accounting.Ledger;
import io.podhogs.accounting.TrafficDelta;
import io.podhogs.attribution.FlowTable;
import io.podhogs.attribution.FlowTableView;
import io.podhogs.attribution.Owner;
import io.podhogs.attribution.TrackedFlow;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.identity.RemoteClassifier;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;
import java.util.Arrays;

/**
 * The engine's side of the flow table, one pass a tick: takes the slots of new flows (handing each
 * to the resolver) and of released ones, credits every flow's new bytes to its owner, credits the
 * packets that found the table full to the untracked bucket of their side, and asks the table to
 * release the flows that stayed idle. Engine thread only.
 *
 * <p>Idle flows whose bytes are all credited are released after the idle timeout, or after
 * {@link #PRESSURE_IDLE_TICKS} ticks once the table is {@link #PRESSURE_PERCENT}% full: under a
 * flood of one-packet flows the slots must go round, or every new flow would be untracked.
 */
final class FlowBook {
    static final int PRESSURE_PERCENT = 75;
    static final int PRESSURE_IDLE_TICKS = 20;
    /** How long a far side's untracked packets wait for the namespace behind their interface (10 s). */
    static final int NETNS_PATIENCE_TICKS = 100;
    /** Ticks between two walks for idle flows while the table is not under pressure (a second). */
    static final int EXPIRY_TICKS = 10;

    private final FlowTable table;
    private final FlowTableView view;
    private final FlowStates states = new FlowStates();
    /** Filled for one flow or overflow bucket at a time, so that crediting allocates nothing. */
    private final TrafficDelta delta = new TrafficDelta();
    private final long[] overflowCredited = new long[FlowTable.OVERFLOW_BUCKETS * 2 * 4];
    private long overflowPacketsCredited;
    /** Per bucket: the tick since which its far side's overflow waits for the namespace behind it, or -1. */
    private final int[] farSideWaitingSince = new int[FlowTable.OVERFLOW_BUCKETS];
    private boolean overflowWaiting;
    private int tick;
    private int lastExpiry = Integer.MIN_VALUE / 2;
    /** The tick of the last copy of the connections: flows active since then list first. */
    private int listedTick = Integer.MIN_VALUE;

    FlowBook(FlowTable table, FlowTableView view) {
        this.table = table;
        this.view = view;
        Arrays.fill(farSideWaitingSince, -1);
    }

    /**
     * Forgets the flows the table released, and makes a record of each new one, given to
     * {@code resolve} (which hands it to the resolver).
     */
    void takeNewAndReleased(long now, Consumer<TrackedFlow> resolve) {
        states.ensureCapacity(table.capacity());
        for (int i = 0; i < view.releasedCount(); i++) {
            states.release(view.releasedSlot(i));
        }
        for (int i = 0; i < view.newCount(); i++) {
            int slot = view.newSlot(i);
            TrackedFlow flow = new TrackedFlow(slot, table.key(slot), now);
            flow.linkSource(table.linkSource(slot));
            states.add(flow, tick);
            resolve.accept(flow);
        }
    }

    /**
     * Credits what every flow counted since the last tick to its owner, and the packets that found
     * the table full to the untracked bucket of their side ({@code netnsBehind}: the namespace
     * behind an interface, -1 when not known). Visits the flows the exchange says were touched and
     * those the resolver still has (whose owner may have just been found), not every flow.
     *
     * @param ticks the engine's ticks since the last credit: one, or more after a quiet spell
     *     (flows age by ticks)
     * @return whether anything was credited or is still waiting to be
     */
    boolean credit(long now, int ticks, Ledger ledger, RemoteClassifier classifier, IntToLongFunction netnsBehind) {
        tick += ticks;
        boolean credited = false;
        for (int i = 0; i < view.touchedCount(); i++) {
            credited |= credit(view.touchedSlot(i), now, ledger, classifier);
        }
        // From the end: a flow the resolver is done with leaves the list, the last taking its place.
        for (int i = states.followingCount() - 1; i >= 0; i--) {
            int s = states.followingSlot(i);
            if (!view.touched(s)) {
                credited |= credit(s, now, ledger, classifier);
            }
        }
        if (view.overflowPackets() != overflowPacketsCredited || overflowWaiting) {
            creditOverflow(now, ledger, netnsBehind);
            credited = true;
        }
        return credited;
    }

    private boolean credit(int s, long now, Ledger ledger, RemoteClassifier classifier) {
        if (!states.isLive(s)) {
            return false;
        }
        Owner owner = states.follow(s);
        if (!states.takeDelta(s, view, tick, delta)) {
            return false;
        }
        // Frames the host relays belong to no socket here: they have no other end of their own.
        ledger.credit(owner, table.ifindexOf(s), delta, now, states.inferred(s),
                owner instanceof TransitOwner ? null : states.peer(s, table, classifier));
        return true;
    }

    /**
     * Packets that found the flow table full: to the untracked bucket of their interface's side (the
     * host's, or the namespace behind it, whose container and pod they then count for), so that
     * each device's accounts still add up to its counters. A far side's wait, as a flow's would, up
     * to {@link #NETNS_PATIENCE_TICKS} for its namespace to be known (a new pod's veth floods before
     * its namespace has been seen), then go to the bucket of a namespace not identified.
     */
    private void creditOverflow(long now, Ledger ledger, IntToLongFunction netnsBehind) {
        overflowPacketsCredited = view.overflowPackets();
        overflowWaiting = false;
        for (int bucket = 0; bucket < FlowTable.OVERFLOW_BUCKETS; bucket++) {
            for (int side = 0; side < 2; side++) {
                int at = (bucket * 2 + side) * 4;
                boolean far = side == 1;
                delta.set(view.overflow(bucket, far, 0) - overflowCredited[at],
                        view.overflow(bucket, far, 1) - overflowCredited[at + 1],
                        view.overflow(bucket, far, 2) - overflowCredited[at + 2],
                        view.overflow(bucket, far, 3) - overflowCredited[at + 3]);
                if (!delta.hasPackets()) {
                    continue;
                }
                int ifindex = view.overflowIfindex(bucket);
                long netns = side == 0 ? 0 : netnsBehind.applyAsLong(ifindex);
                if (netns == -1) {
                    if (farSideWaitingSince[bucket] == -1) {
                        farSideWaitingSince[bucket] = tick;
                    }
                    if (tick - farSideWaitingSince[bucket] < NETNS_PATIENCE_TICKS) {
                        overflowWaiting = true;
                        continue; // left uncredited: the next tick tries again
                    }
                }
                if (side == 1) {
                    farSideWaitingSince[bucket] = -1;
                }
                delta.addTo(overflowCredited, at);
                ledger.credit(UnknownOwner.untracked(netns), ifindex, delta, now);
            }
        }
    }

    /**
     * Asks the table to release the settled flows idle for {@code idleTicks} (fewer under pressure).
     * It walks every flow, so once every {@link #EXPIRY_TICKS} ticks (a flow goes up to a second
     * after its timeout), but every tick under pressure, where the slots must go round.
     */
    void expireIdle(int idleTicks) {
        int live = states.live();
        boolean pressed = live * 100L >= (long) table.maxCapacity() * PRESSURE_PERCENT;
        if (!pressed && tick - lastExpiry < EXPIRY_TICKS) {
            return;
        }
        lastExpiry = tick;
        int idle = pressed ? Math.min(idleTicks, PRESSURE_IDLE_TICKS) : idleTicks;
        int highWater = view.highWater();
        for (int s = 0; s < highWater; s++) {
            // Only flows whose bytes are all credited: a pending flow's bytes live in the table.
            if (states.releasable(s) && tick - states.lastActiveTick(s) >= idle) {
                view.requestRelease(s);
            }
        }
    }

    /** The connections the API lists (see {@link ConnectionSelection}). */
    Connections connections(int max, long now) {
        Connections listed = ConnectionSelection.select(states, table, view.highWater(), max, listedTick, now);
        listedTick = tick;
        return listed;
    }

    /** Flows tracked now. */
    int live() {
        return states.live();
    }
}
