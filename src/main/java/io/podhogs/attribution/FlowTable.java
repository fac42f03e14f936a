package io.podhogs.attribution;

import java.util.Arrays;
import io.podhogs.capture.Direction;
import io.podhogs.capture.PacketSink;
import io.podhogs.capture.PacketSource;
import io.podhogs.capture.ParsedPacket;

/**
 * Byte and packet counters per flow, filled from the packet path. A flow is keyed from the local
 * socket's side (see {@link FlowKey}); its counters grow from the first packet on, whether or not
 * its owner is known yet, so bytes seen before the socket is found are never lost.
 *
 * <p>Storage is a set of parallel primitive arrays indexed by a stable slot number, with an
 * open-addressing index in front: nothing is allocated per packet. A packet for a new flow takes a
 * free slot and queues the slot number for the engine; when the table is full (the engine grows it
 * ahead of need, up to the bound it was made with, so only a flood faster than one engine tick, or
 * beyond that bound, fills it) the packet is counted in the overflow counters of its interface and
 * side, still never dropped. Each slot costs {@value #BYTES_PER_SLOT} bytes here, for any flow
 * (docs/memory.md).
 *
 * <p>Threads: capture threads call {@link #acceptAll} (a batch of frames) or {@link #accept}; the
 * engine thread calls {@link #exchange}. Both hold this object's monitor, which is uncontended
 * almost always: the engine holds it for an array copy per tick, a capture thread for a batch. Slot numbers are stable until the engine releases a slot, which it does
 * only for a flow that got no packet since the engine's last look (checked under the lock), so no
 * byte is lost there.
 */
public final class FlowTable implements PacketSink {
    private static final int EMPTY = 0;
    /** The largest bound a table may be made with: a flood of new flows must not exhaust memory. */
    public static final int MAX_CAPACITY = 1 << 22;
    /**
     * Bytes per slot in this table's arrays: the index (two ints a slot), the key (44), the counters
     * (32), the link source (8), the touched mark (1), the free, new and touched slot lists (12).
     */
    public static final int BYTES_PER_SLOT = 8 + 44 + 32 + 8 + 1 + 12;
    /**
     * Overflow counters per interface, in this many buckets by interface index (a collision of two
     * interfaces in one bucket, in an overflow, names the later one).
     */
    public static final int OVERFLOW_BUCKETS = 1024;

    private final int maxCapacity;
    private int capacity;
    private int[] index;
    private int indexMask;

    private int[] ifindex = new int[0];
    private int[] protocolFlags = new int[0];
    private long[] localHi = new long[0];
    private long[] localLo = new long[0];
    private long[] remoteHi = new long[0];
    private long[] remoteLo = new long[0];
    private int[] ports = new int[0];
    private long[] sentBytes = new long[0];
    private long[] sentPackets = new long[0];
    private long[] receivedBytes = new long[0];
    private long[] receivedPackets = new long[0];
    private long[] linkSource = new long[0];
    /**
     * The slots that counted a packet (or were made) since the last exchange: ones that may not be
     * released, and whose counters the next exchange copies (its work is theirs, not every flow's).
     */
    private final TouchedSlots touched = new TouchedSlots(0);

    private int[] freeSlots = new int[0];
    private int freeCount;
    private int highWater;
    private int size;
    private int[] newSlots = new int[0];
    private int newCount;
    private final FlowOverflow overflow = new FlowOverflow();
    private final Runnable onNewFlow;
    private volatile byte[] noFarSide = new byte[0];
    /** Set by a quiet engine: the next packet counted calls {@link #onNewFlow} too, to wake it. */
    private volatile boolean wakeOnPacket;

    /** A table bounded at {@link #MAX_CAPACITY} flows. */
    public FlowTable(int initialCapacity, Runnable onNewFlow) {
        this(initialCapacity, MAX_CAPACITY, onNewFlow);
    }

    /**
     * @param initialCapacity flows before the first growth (rounded up to a power of two)
     * @param maxCapacity the most flows tracked at once (64 to {@link #MAX_CAPACITY}); the packets
     *     of flows beyond it go to the overflow counters
     * @param onNewFlow called on the packet path, under the lock, when a flow is first seen, so the
     *     engine can look it up at once (and for the first packet after {@link #wakeOnNextPacket});
     *     must be cheap and must not block
     */
    public FlowTable(int initialCapacity, int maxCapacity, Runnable onNewFlow) {
        this.onNewFlow = onNewFlow;
        this.maxCapacity = Math.max(64, Math.min(MAX_CAPACITY, maxCapacity));
        allocate(Math.min(this.maxCapacity, Integer.highestOneBit(Math.max(64, initialCapacity) - 1) << 1));
    }

    /**
     * Sizes every array for {@code newCapacity} slots, keeping what they hold: slots keep their
     * numbers, so the engine's per-slot state stays valid. The index is made anew, empty.
     */
    private void allocate(int newCapacity) {
        capacity = newCapacity;
        // A power of two at least twice the slots: the index is at most half full.
        index = new int[Integer.highestOneBit(newCapacity * 2 - 1) << 1];
        indexMask = index.length - 1;
        ifindex = Arrays.copyOf(ifindex, newCapacity);
        protocolFlags = Arrays.copyOf(protocolFlags, newCapacity);
        localHi = Arrays.copyOf(localHi, newCapacity);
        localLo = Arrays.copyOf(localLo, newCapacity);
        remoteHi = Arrays.copyOf(remoteHi, newCapacity);
        remoteLo = Arrays.copyOf(remoteLo, newCapacity);
        ports = Arrays.copyOf(ports, newCapacity);
        sentBytes = Arrays.copyOf(sentBytes, newCapacity);
        sentPackets = Arrays.copyOf(sentPackets, newCapacity);
        receivedBytes = Arrays.copyOf(receivedBytes, newCapacity);
        receivedPackets = Arrays.copyOf(receivedPackets, newCapacity);
        linkSource = Arrays.copyOf(linkSource, newCapacity);
        touched.ensureCapacity(newCapacity);
        freeSlots = Arrays.copyOf(freeSlots, newCapacity);
        newSlots = Arrays.copyOf(newSlots, newCapacity);
    }

    /**
     * Counts a packet for the host's side of its interface and, unless the interface is known to be
     * no netns boundary, for the far side too (the namespace behind a veth): the engine decides later
     * which far sides are real, so a veth is counted from its first frame, before anyone knows it.
     */
    @Override
    public synchronized void accept(ParsedPacket p) {
        sides(p, true);
        if (wakeOnPacket) { // a plain load on the packet path while the engine is awake
            wakeOnPacket = false;
            onNewFlow.run();
        }
    }

    /**
     * Counts a batch's packets as {@link #accept} counts each, under one lock for the batch: the
     * capture thread's lock a frame was inflated (and slow) whenever the engine had touched it. The
     * engine waits at most a batch's parsing (about 256 frames) for it.
     */
    @Override
    public synchronized void acceptAll(PacketSource packets) {
        boolean any = false;
        for (ParsedPacket p = packets.next(); p != null; p = packets.next()) {
            sides(p, true);
            any = true;
        }
        if (any && wakeOnPacket) {
            wakeOnPacket = false;
            onNewFlow.run();
        }
    }

    /**
     * For an engine that ticks slowly while nothing flows: the next packet counted calls the
     * new-flow callback (whatever its flow), so that the engine goes back to its quick ticks.
     */
    public void wakeOnNextPacket() {
        wakeOnPacket = true;
    }

    /**
     * Makes the packet's flows known without counting it: for a connection's first packet seen
     * early by a second handle, whose own copy of it the main capture counts when it comes.
     */
    public synchronized void announce(ParsedPacket p) {
        sides(p, false);
    }

    private void sides(ParsedPacket p, boolean counted) {
        // An IP frame whose header could not be read has no protocol: keyed as not IP, not as 255.
        int protocol = p.ipVersion == 0 || p.protocol < 0 ? FlowKey.NON_IP : p.protocol & 0xff;
        int flags = p.hasPorts() || p.ipVersion == 0 || (p.protocol != ParsedPacket.TCP && p.protocol != ParsedPacket.UDP)
                ? 0 : FlowKey.NO_PORTS;
        switch (p.direction) {
            case OUTGOING -> count(p, protocol, flags, true, true, counted);
            case INCOMING -> count(p, protocol, flags, false, false, counted);
            case LOOPBACK -> {
                count(p, protocol, flags, true, true, counted);
                count(p, protocol, flags, false, false, counted);
                return; // lo has no far side
            }
            case OTHER_HOST -> count(p, protocol, flags | FlowKey.FOREIGN, false, false, counted);
        }
        byte[] skip = noFarSide;
        if (Integer.compareUnsigned(p.ifindex, skip.length) >= 0 || skip[p.ifindex] == 0) {
            boolean farSideSent = p.direction != Direction.OUTGOING;
            count(p, protocol, flags | FlowKey.PEER, farSideSent, farSideSent, counted);
        }
    }

    /**
     * Interfaces (by index) whose far side is no network namespace of ours: physical devices,
     * bridges, loopback, VLANs. Set by the engine as it learns them; an index beyond the array, a
     * new interface, still gets its far side counted until the engine says otherwise.
     */
    public void noFarSide(byte[] interfaces) {
        noFarSide = interfaces;
    }

    /**
     * Adds one packet to the flow whose local end is the source ({@code localIsSource}) or
     * destination; with {@code counted} false, only makes sure the flow exists.
     */
    private void count(ParsedPacket p, int protocol, int flags, boolean localIsSource, boolean sent, boolean counted) {
        long lHi = localIsSource ? p.srcHi : p.dstHi;
        long lLo = localIsSource ? p.srcLo : p.dstLo;
        long rHi = localIsSource ? p.dstHi : p.srcHi;
        long rLo = localIsSource ? p.dstLo : p.srcLo;
        int portPair = (flags & FlowKey.NO_PORTS) != 0 ? 0
                : localIsSource ? (p.srcPort << 16 | p.dstPort) : (p.dstPort << 16 | p.srcPort);
        int protoFlags = protocol << 8 | flags;
        int slot = find(p.ifindex, protoFlags, lHi, lLo, rHi, rLo, portPair);
        if (slot >= 0 && localIsSource && (flags & FlowKey.PEER) == 0) {
            linkSource[slot] = p.linkSource;
        }
        if (!counted) {
            return;
        }
        if (slot < 0) {
            overflow.count(p, (flags & FlowKey.PEER) != 0, sent);
            return;
        }
        touched.touch(slot);
        if (sent) {
            sentBytes[slot] += p.wireLength;
            sentPackets[slot]++;
        } else {
            receivedBytes[slot] += p.wireLength;
            receivedPackets[slot]++;
        }
    }

    private int find(int ifx, int protoFlags, long lHi, long lLo, long rHi, long rLo, int portPair) {
        int h = hash(ifx, protoFlags, lHi, lLo, rHi, rLo, portPair) & indexMask;
        while (true) {
            int entry = index[h];
            if (entry == EMPTY) {
                return insert(h, ifx, protoFlags, lHi, lLo, rHi, rLo, portPair);
            }
            int s = entry - 1;
            if (ports[s] == portPair && localLo[s] == lLo && remoteLo[s] == rLo && ifindex[s] == ifx
                    && protocolFlags[s] == protoFlags && localHi[s] == lHi && remoteHi[s] == rHi) {
                return s;
            }
            h = (h + 1) & indexMask;
        }
    }

    private int insert(int h, int ifx, int protoFlags, long lHi, long lLo, long rHi, long rLo, int portPair) {
        int s;
        if (freeCount > 0) {
            s = freeSlots[--freeCount];
        } else if (highWater < capacity) {
            s = highWater++;
        } else {
            return -1;
        }
        index[h] = s + 1;
        ifindex[s] = ifx;
        protocolFlags[s] = protoFlags;
        localHi[s] = lHi;
        localLo[s] = lLo;
        remoteHi[s] = rHi;
        remoteLo[s] = rLo;
        ports[s] = portPair;
        sentBytes[s] = sentPackets[s] = receivedBytes[s] = receivedPackets[s] = 0;
        linkSource[s] = -1;
        size++;
        // Touched as made, so that the next exchange copies its counters over those of the slot's
        // last flow even when it was only announced.
        touched.touch(s);
        newSlots[newCount++] = s;
        onNewFlow.run();
        return s;
    }

    private static int hash(int ifx, int protoFlags, long lHi, long lLo, long rHi, long rLo, int portPair) {
        long h = lLo * 0x9E3779B97F4A7C15L;
        h ^= rLo * 0xC2B2AE3D27D4EB4FL;
        h ^= (lHi ^ Long.rotateLeft(rHi, 17)) * 0x165667B19E3779F9L;
        h ^= ((long) portPair << 32 | (ifx * 31L + protoFlags)) * 0x27D4EB2F165667C5L;
        h ^= h >>> 32;
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /**
     * The engine's side of the table: releases the idle slots it asks for (unless they counted a
     * packet since its last look), hands over the slots of new flows, copies the counters of the
     * slots touched since the last exchange, and which they are, and grows the table when it is
     * three quarters full. One lock; the work is the touched flows', not every flow's: with 100,000
     * flows held open and a few hundred active, copying every counter ten times a second (and
     * crediting every flow) was a fifth of the agent's engine.
     */
    public synchronized void exchange(FlowTableView view) {
        int released = 0;
        for (int i = 0; i < view.releaseCount; i++) {
            int s = view.releaseSlots[i];
            if (s < highWater && !touched.touched(s) && remove(s)) {
                view.releaseSlots[released++] = s; // the list becomes that of the slots released
            }
        }
        view.releaseCount = 0;
        view.releasedCount = released;
        handOverNewSlots(view);
        view.touched.clear();
        for (int i = 0; i < touched.count(); i++) {
            int s = touched.slot(i);
            view.sentBytes[s] = sentBytes[s];
            view.sentPackets[s] = sentPackets[s];
            view.receivedBytes[s] = receivedBytes[s];
            view.receivedPackets[s] = receivedPackets[s];
            view.touched.touch(s);
        }
        touched.clear();
        overflow.copyTo(view);
        view.size = size;
    }

    /**
     * Between ticks, when new flows wake the engine: hands over only the new flows' slots, so that
     * they are looked up at once, without copying every counter.
     */
    public synchronized void takeNewFlows(FlowTableView view) {
        handOverNewSlots(view);
        view.releasedCount = 0;
    }

    /**
     * Grows the table when it is three quarters full (a quarter of it is room for the flows of the
     * next tick), and gives the view the slots of the flows new since the last call.
     */
    private void handOverNewSlots(FlowTableView view) {
        if (size > capacity - capacity / 4 && capacity < maxCapacity) {
            grow();
        }
        view.ensureCapacity(capacity);
        System.arraycopy(newSlots, 0, view.newSlots, 0, newCount);
        view.newCount = newCount;
        newCount = 0;
        view.highWater = highWater;
    }

    /**
     * The link-layer source address of the slot's latest frame sent from the host's side (-1 if
     * none yet, or the link has no such addresses): which device's frames they were.
     */
    public synchronized long linkSource(int s) {
        return linkSource[s];
    }

    /**
     * The interface of a live slot, without the lock: engine thread only, for a slot it was handed
     * and has not released. Safe because a slot's key is written once, under the lock, before the
     * exchange that hands the slot over, and the arrays are replaced only by the engine's own
     * exchanges (growth); capture threads write only slots not handed over yet.
     */
    public int ifindexOf(int s) {
        return ifindex[s];
    }

    /** The protocol of a live slot (as {@link FlowKey#protocol}), without the lock: as {@link #ifindexOf}. */
    public int protocolOf(int s) {
        return protocolFlags[s] >>> 8;
    }

    /** The key of a live slot. Engine thread only, for a slot it was handed and has not released. */
    public synchronized FlowKey key(int s) {
        int protoFlags = protocolFlags[s];
        return new FlowKey(ifindex[s], protoFlags >>> 8, localHi[s], localLo[s], ports[s] >>> 16, remoteHi[s],
                remoteLo[s], ports[s] & 0xffff, protoFlags & 0xff);
    }

    /** Where slot {@code s}'s key hashes to in the index. */
    private int home(int s) {
        return hash(ifindex[s], protocolFlags[s], localHi[s], localLo[s], remoteHi[s], remoteLo[s], ports[s]) & indexMask;
    }

    /** Removes a live slot from the index and frees it; false (and nothing changed) if it is not live. */
    private boolean remove(int s) {
        if (s >= highWater) {
            return false;
        }
        int h = home(s);
        while (index[h] != s + 1) {
            if (index[h] == EMPTY) {
                return false;
            }
            h = (h + 1) & indexMask;
        }
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int hole = h;
        int next = (hole + 1) & indexMask;
        while (index[next] != EMPTY) {
            int t = index[next] - 1;
            int home = home(t);
            if (((next - home) & indexMask) >= ((next - hole) & indexMask)) {
                index[hole] = index[next];
                hole = next;
            }
            next = (next + 1) & indexMask;
        }
        index[hole] = EMPTY;
        freeSlots[freeCount++] = s;
        size--;
        return true;
    }

    private void grow() {
        int[] oldIndex = index;
        allocate(Math.min(capacity * 2, maxCapacity));
        for (int entry : oldIndex) {
            if (entry != EMPTY) {
                int s = entry - 1;
                int h = home(s);
                while (index[h] != EMPTY) {
                    h = (h + 1) & indexMask;
                }
                index[h] = entry;
            }
        }
    }

    public synchronized int capacity() {
        return capacity;
    }

    /** The most flows this table tracks at once. */
    public int maxCapacity() {
        return maxCapacity;
    }
}
