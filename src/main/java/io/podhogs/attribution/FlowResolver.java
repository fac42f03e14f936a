package io.podhogs.attribution;

import io.podhogs.attribution.NamespaceSockets.Reread;
import io.podhogs.capture.NetInterface;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Finds the owner of each new flow, by the accounting rule of docs/accounting.md: a flow of the host's
 * side of an interface belongs to a socket of the host's namespace (never on a bridge port or bond
 * slave, whose frames are the master's: those are forwarded); a flow of the far side of a veth
 * belongs to a socket of the namespace behind it ({@link VethNamespaces}). Socket, then process
 * (from the fd links). Runs on the engine thread, never on the packet path.
 *
 * <p>This class keeps the order of the lookups, and when a flow waits, gives up or is tried again.
 * The rest is its parts': each namespace's tables ({@link NamespaceSockets}), the host's
 * connections asked for one by one ({@link ExactConnections}), which process holds a socket
 * ({@link SocketHolders}) and where to look for it first ({@link LikelyOwners}), the owners a flow
 * gets without a socket ({@link SocketlessOwners}), the owner inferred for a socket gone too soon
 * ({@link OwnerInference}), and each namespace's container ({@link NamespaceContainers}).
 *
 * <p>Tables are re-read only when a pending flow misses, and then no more often than their
 * {@link Throttle}s allow. A flow that still misses after a table read that began at least
 * {@code grace} after its first packet gives up: to its namespace's unknown bucket, or to
 * forwarded when its local end is no address of the host (the grace covers the TCP handshake,
 * before which an accepted socket has no inode).
 */
public final class FlowResolver implements AutoCloseable {
    private static final long NETNS_SCAN_FLOOR_NANOS = 100_000_000L;
    /**
     * How long a far side waits for its namespace to be known: a namespace is found through its
     * processes, and a pod's veth carries frames (ARP, the first SYN) before its first process runs.
     */
    private static final long NETNS_PATIENCE_NANOS = 10_000_000_000L;
    private static final long NEW_FLOW_NANOS = 1_000_000_000L;

    private final LongSupplier clock;
    private final ExactConnections connections;
    private final long graceNanos;
    private final NetnsRegistry namespaces;
    private final VethNamespaces veths;
    private final LinkPeers linkPeers;
    private final NamespaceSockets sockets;
    private final NamespaceContainers containers;
    private final LikelyOwners likelyOwners;
    private final SocketHolders holders;
    private final SocketlessOwners socketless;
    private final OwnerInference inference = new OwnerInference();
    private final AttributionLatency latency = new AttributionLatency();
    private final LookupBacklog bounds;
    private final ConntrackReader conntrack;
    private final LookupBacklog.Counts turnedAway = new LookupBacklog.Counts();
    private final List<TrackedFlow> pending = new ArrayList<>();
    /** Where the flows added since the last pass begin in {@link #pending}: between ticks, only those are looked at. */
    private int freshFrom;
    /** Flows that went to unknown, looked up again now and then: a socket may turn up late. */
    private final UnknownRetries retries;
    /** Just after the last look in the likely owners began: sockets found since are due one. */
    private final Moment quickScan = new Moment();
    private final Throttle netnsScan = new Throttle(NETNS_SCAN_FLOOR_NANOS);

    public FlowResolver(HostFiles host, ProcessReader processes, LongSupplier clock, HostSocketLookup hostLookup,
                        long graceNanos) {
        this(host, processes, clock, hostLookup, HostSocketLookup.Opener.NONE, LinkPeers.none(), graceNanos,
                LookupBacklog.DEFAULT, false);
    }

    /**
     * @param namespaceLookups opens the exact lookups of pods' namespaces ({@link NamespaceLookups})
     * @param linkPeers the kernel's ids of the namespaces behind veths ({@link VethNamespaces}); closed with this
     * @param readsInBackground the reads that may take seconds (conntrack, full fd scans) on threads
     *     of their own; false in a test that moves the clock, so that each read happens when it says
     */
    public FlowResolver(HostFiles host, ProcessReader processes, LongSupplier clock, HostSocketLookup hostLookup,
                        HostSocketLookup.Opener namespaceLookups, LinkPeers linkPeers, long graceNanos,
                        LookupBacklog bounds, boolean readsInBackground) {
        this.bounds = bounds;
        this.retries = new UnknownRetries(bounds.maxRetrying());
        this.conntrack = readsInBackground ? ConntrackReader.background(host, clock) : ConntrackReader.inline(host, clock);
        this.clock = clock;
        this.graceNanos = graceNanos;
        this.namespaces = new NetnsRegistry(host);
        this.connections = new ExactConnections(hostLookup, new NamespaceLookups(namespaceLookups, namespaces::netDir,
                NamespaceLookups.MAX_OPEN), clock);
        namespaces.refresh();
        this.linkPeers = linkPeers;
        this.veths = new VethNamespaces(namespaces, linkPeers);
        this.sockets = new NamespaceSockets(host, namespaces, clock, conntrack);
        this.containers = new NamespaceContainers(namespaces, processes);
        this.likelyOwners = new LikelyOwners(host, namespaces, veths, clock);
        this.holders = new SocketHolders(host, processes, clock, readsInBackground);
        this.socketless = new SocketlessOwners(veths, sockets, conntrack);
    }

    /**
     * The host's interfaces as last read, which decide the roles of the flows' interfaces, and
     * those whose frames the user left out (by name pattern): their flows are nobody's.
     */
    public void interfaces(Map<Integer, NetInterface> current, Set<Integer> uncounted) {
        veths.interfaces(current, uncounted);
    }

    /**
     * Takes a new flow: settled at once when its interface decides it, else queued; when the queue
     * is full, settled at once to its side's unknown bucket.
     */
    public void add(TrackedFlow flow) {
        if (socketless.settledByInterface(flow)) {
            return;
        }
        if (pending.size() < bounds.maxPending()) {
            pending.add(flow);
        } else {
            turnedAway.skipped++;
            flow.owner(socketless.unfound(flow));
        }
    }

    /**
     * Whether a flow first seen within the last second is being looked up: the quick lookups that
     * catch a short connection's socket. Older pending flows wait for their namespace or their
     * deadline, and flows left unknown are looked for again after 1, 2, 4 ... s: a pass a second
     * serves those. (Flows are queued in the order they come, so the newest is the last.)
     */
    public boolean lookingUpNewFlows(long nowNanos) {
        return !pending.isEmpty() && nowNanos - pending.get(pending.size() - 1).firstSeenNanos() < NEW_FLOW_NANOS;
    }

    /**
     * Looks up the pending flows, re-reading the tables when misses allow it: on a tick every one of
     * them, between ticks (woken by new flows) only the flows new since the last pass, so that a
     * backlog under a flood costs one pass a tick, not one per wake-up.
     */
    public void resolvePending(boolean tick) {
        List<TrackedFlow> scope = tick ? pending : pending.subList(Math.min(freshFrom, pending.size()), pending.size());
        if (!scope.isEmpty()) {
            // Cheapest first: the exact lookups and the few likely processes take microseconds, a
            // table read milliseconds, and a short connection's socket lives for less than one.
            // Between ticks nothing slower runs, so that the engine is free when the next
            // connection starts.
            connections.lookUp(tick, scope, veths::tablesOf);
            scanLikelyOwnersOfNewSockets(scope);
            attempt(false, scope);
        }
        if (tick && !pending.isEmpty()) {
            attempt(true, pending);
            scanLikelyOwnersOfNewSockets(pending);
            if (pending.stream().anyMatch(f -> f.inode() != 0) && holders.scanAllIfAllowed()) {
                attempt(false, pending);
            }
            giveUp();
        }
        if (tick) {
            retryUnknown();
        }
        freshFrom = pending.size();
    }

    /**
     * Looks for the sockets found since the last such look in the {@link LikelyOwners}; all of
     * /proc is scanned only as often as its floor allows. The processes known to be new are looked
     * in before /proc is listed again for newer ones: a listing takes longer than a short
     * connection's socket lives.
     *
     * <p>Accepted connections are left to the full scans, whose youngest-holder rule names a
     * forking server's child. When every socket looked for is an outbound host connection (found
     * by {@link ExactConnections}), the look stops at the first process that holds them all.
     */
    private void scanLikelyOwnersOfNewSockets(List<TrackedFlow> pending) {
        List<TrackedFlow> fresh = new ArrayList<>(); // the new ones: older ones wait for a full scan
        for (TrackedFlow f : pending) {
            if (f.inode() != 0 && !f.accepted() && !quickScan.after(f.inodeFoundNanos())) {
                fresh.add(f);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        quickScan.set(clock.getAsLong() + 1);
        Set<Long> wanted = null;
        if (fresh.stream().allMatch(f -> connections.covers(veths.tablesOf(f), f.key()))) {
            wanted = new HashSet<>();
            for (TrackedFlow f : fresh) {
                wanted.add(f.inode());
            }
        }
        List<Integer> likely = likelyOwners.of(pending);
        holders.scanFew(likely, wanted);
        attempt(false, pending);
        if (pending.stream().anyMatch(f -> f.inode() != 0)) {
            List<Integer> newer = likelyOwners.newerThan(likely);
            if (!newer.isEmpty()) {
                holders.scanFew(newer, wanted);
                attempt(false, pending);
            }
        }
    }

    /** One pass over {@code pending}; with {@code reread}, tables that missed may be read anew. */
    private void attempt(boolean reread, List<TrackedFlow> pending) {
        if (reread && pending.stream().anyMatch(f -> f.key().has(FlowKey.PEER) && !veths.known(f))
                && netnsScan.mayRun(clock.getAsLong())) {
            long start = clock.getAsLong();
            namespaces.refresh();
            netnsScan.ran(start, clock.getAsLong());
        }
        for (Iterator<TrackedFlow> it = pending.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            if (veths.device(flow.key().ifindex()) == null) {
                continue; // an interface newer than the last look: its role decides first
            }
            if (socketless.settledByInterface(flow)) {
                it.remove();
                continue;
            }
            if (!SocketlessOwners.socketKind(flow.key())) {
                if (socketless.settledWithoutSocket(flow)) {
                    it.remove();
                }
                continue;
            }
            if (flow.inode() == 0) {
                SocketEntry socket = findSocket(flow, reread ? Reread.ALL : Reread.NONE);
                if (socket == null) {
                    Owner transit = socketless.transit(flow);
                    if (transit != null) {
                        flow.owner(transit);
                        it.remove();
                    }
                    continue;
                }
                flow.socket(socket, clock.getAsLong());
            }
            ProcessInfo process = holders.found(flow.inode(), flow.accepted(), flow.inodeFoundNanos());
            if (process != null) {
                long side = veths.sideOf(flow);
                ProcessOwner owner = new ProcessOwner(process, side);
                flow.owner(owner);
                latency.record(clock.getAsLong() - flow.firstSeenNanos());
                likelyOwners.owned(process.pid());
                inference.owned(flow, side, owner);
                it.remove();
            }
        }
    }

    /**
     * A socket that turns up late takes the flow's bytes from then on; what was counted unknown
     * stays there, since counters never go down.
     */
    private void retryUnknown() {
        long now = clock.getAsLong();
        for (TrackedFlow found : retries.due(now, flow -> {
            SocketEntry socket = findSocket(flow, Reread.SOCKETS);
            ProcessInfo process = socket == null ? null : holders.holderOf(socket.inode());
            return process == null ? null : new ProcessOwner(process, veths.sideOf(flow));
        })) {
            latency.record(now - found.firstSeenNanos());
        }
    }

    /**
     * The flow's socket, from a table read no earlier than the flow's first packet (see
     * {@link NamespaceSockets}); for a far side whose namespace is not known yet, from the one
     * namespace whose table has its exact connection, which then pins the veth to it.
     */
    private SocketEntry findSocket(TrackedFlow flow, Reread reread) {
        FlowKey key = flow.key();
        long netns = veths.tablesOf(flow);
        if (connections.covers(netns, key)) {
            SocketEntry socket = connections.connection(netns, flow);
            if (socket == null) {
                // Asked for on its own; on a miss the addresses (and, on the host, the NAT) say
                // whether it was forwarded: read only then, since the conntrack table of a busy
                // node takes a second to print.
                sockets.local(netns, reread == Reread.ALL);
            }
            return socket;
        }
        if (netns != VethNamespaces.UNKNOWN) {
            return sockets.find(netns, flow, reread);
        }
        NamespaceSockets.Found found = sockets.findConnected(namespaces.others(), flow, reread, connections);
        if (found == null) {
            return null;
        }
        veths.pin(key.ifindex(), found.netns());
        return found.socket();
    }

    /** The namespace behind the interface (a veth's far side), or -1 while it is not known. */
    public long netnsBehind(int ifindex) {
        return veths.netnsBehind(ifindex);
    }

    private void giveUp() {
        for (Iterator<TrackedFlow> it = pending.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            FlowKey key = flow.key();
            if (clock.getAsLong() - flow.firstSeenNanos() > bounds.maxPendingNanos()) {
                // Held up by something that will not come (its interface went before its role was
                // known): whatever it waits for, it waits no longer.
                turnedAway.expired++;
                flow.owner(socketless.unfound(flow));
                it.remove();
                continue;
            }
            long deadline = flow.firstSeenNanos() + graceNanos;
            if (veths.device(key.ifindex()) == null
                    || key.has(FlowKey.PEER) && !veths.known(flow)) {
                deadline = flow.firstSeenNanos() + Math.max(graceNanos, NETNS_PATIENCE_NANOS);
            }
            if (clock.getAsLong() - deadline < 0) {
                continue;
            }
            if (searchedSince(flow, deadline)) {
                ProcessOwner inferred = SocketlessOwners.socketKind(key) ? infer(flow) : null;
                if (inferred != null) {
                    flow.inferredOwner(inferred);
                    latency.record(clock.getAsLong() - flow.firstSeenNanos());
                } else {
                    Owner unfound = socketless.unfound(flow);
                    flow.owner(unfound);
                    if (SocketlessOwners.socketKind(key) && unfound instanceof UnknownOwner) {
                        retries.add(flow, clock.getAsLong());
                    }
                }
                it.remove();
            }
        }
    }

    /**
     * Whether every read that could have found the flow's owner began at {@code deadline} or later:
     * then looking longer is hopeless. With its socket found, the fd scan that would name its
     * process; else the tables that would hold its socket, the addresses that tell forwarded from
     * unknown, and (on the host's side) the NAT.
     */
    private boolean searchedSince(TrackedFlow flow, long deadline) {
        FlowKey key = flow.key();
        if (flow.inode() != 0) {
            return holders.scannedAllSince(Math.max(deadline, flow.inodeFoundNanos()));
        }
        if (!key.has(FlowKey.PEER)) {
            NamespaceSockets.Tables hostTables = sockets.of(namespaces.hostNetns());
            boolean socketSearched;
            if (connections.covers(namespaces.hostNetns(), key)) {
                socketSearched = connections.everyFlowAskedSince(deadline) && hostTables.localReadSince(deadline);
            } else {
                socketSearched = hostTables.readSince(key.protocol(), deadline);
            }
            return socketSearched && conntrack.readSince(deadline);
        }
        long netns = veths.netnsOf(flow);
        if (netns == VethNamespaces.UNKNOWN) {
            return netnsScan.startedSince(deadline);
        }
        if (namespaces.netDir(netns) == null) {
            return true; // no process left in it: no socket to find
        }
        if (connections.covers(netns, key)) {
            return connections.everyFlowAskedSince(deadline) && sockets.of(netns).localReadSince(deadline);
        }
        return sockets.of(netns).readSince(key.protocol(), deadline);
    }

    /**
     * {@link OwnerInference}'s rule, only for a local end that is the namespace's own address: the
     * listener is asked for then, and its holder looked for with an fd scan if need be.
     */
    private ProcessOwner infer(TrackedFlow flow) {
        FlowKey key = flow.key();
        long netns = veths.tablesOf(flow);
        if (netns == VethNamespaces.UNKNOWN) {
            return null;
        }
        // The addresses are read here if no lookup missed before (a socket found at once whose
        // process was not): the exact lookups read them only on a miss.
        NamespaceSockets.Tables s = sockets.local(netns, true);
        if (!s.ownsAddress(key)) {
            return null;
        }
        SocketEntry listener = connections.covers(netns, key) ? connections.listener(netns, key)
                : s.table(key.protocol()).listener(key);
        return inference.infer(flow, veths.sideOf(flow), listener, holders::holderOf);
    }

    /** Stops the conntrack reader's thread and closes the namespaces' lookups. */
    @Override
    public void close() {
        conntrack.close();
        holders.close();
        connections.close();
        linkPeers.close();
    }

    /** Forgets cached processes that are not among {@code live} PIDs (called now and then). */
    public void retainProcesses(Set<Integer> live) {
        holders.retainProcesses(live);
    }

    /** Rescans the namespaces now and then, so that gone ones are forgotten. */
    public void refreshNamespaces() {
        namespaces.refresh();
        Set<Long> live = new HashSet<>(namespaces.others());
        live.add(namespaces.hostNetns());
        sockets.retain(live);
        connections.retain(live);
        containers.refresh();
        // A veth's namespace outlives its processes (a bind mount, a pod's last container exiting):
        // the pin goes with the interface, in interfaces(), not with the processes.
    }

    /** Forgets the namespaces of containers {@code gone} says are gone for good (a deleted pod's, after its grace). */
    public void forgetContainers(Predicate<CgroupIdentity> gone) {
        containers.forget(gone);
    }

    /** The network namespaces other than the host's that exist, as of the last look. */
    public Set<Long> liveNamespaces() {
        return Set.copyOf(namespaces.others());
    }

    /** Each network namespace's container, as of the last look at the namespaces. */
    public Map<Long, CgroupIdentity> containersByNetns() {
        return containers.byNetns();
    }

    public ResolverStats stats() {
        NamespaceSockets.Tables hostTables = sockets.of(namespaces.hostNetns());
        return new ResolverStats(pending.size(), sockets.reads(), hostTables.read(ParsedPacket.TCP).durationNanos(),
                holders.fullScans(), holders.lastFullScanNanos(),
                hostTables.table(ParsedPacket.TCP).size() + hostTables.table(ParsedPacket.UDP).size(), holders.owned(),
                namespaces.others().size() + 1, retries.size(), turnedAway.skipped(), turnedAway.expired(),
                retries.dropped(), conntrack.table().dropped(), latency.snapshot(),
                connections.turnedAway());
    }
}
