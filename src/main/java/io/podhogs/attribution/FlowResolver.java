package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.NetInterface;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Finds the owner of each new flow, by the accounting rule of accounting.md: a flow of the host's
 * side of an interface belongs to a socket of the host's namespace (never on a bridge port or bond
 * slave, whose frames are the master's: those are forwarded); a flow of the far side of a veth
 * belongs to a socket of the namespace behind it. Socket, then process (from the fd links). Runs on
 * the engine thread, never on the packet path.
 *
 * <p>Which namespace is behind a veth: the one that has the veth's peer index among its interfaces,
 * if only one does; otherwise the one whose socket table holds the flow's exact four-tuple, which
 * then pins the veth to it. Interface indexes repeat across namespaces; four-tuples of live
 * connections do not.
 *
 * <p>Tables are re-read only when a pending flow misses, and then no more often than a floor
 * interval or four times the last read's duration, whichever is longer: under a flood of new flows
 * each kind of read takes at most a fifth of the engine thread, never a spin. A flow that still misses after a table read
 * that began at least {@code grace} after its first packet gives up: to its namespace's unknown
 * bucket, or to forwarded when its local end is no address of the host (the grace covers the TCP
 * handshake, before which an accepted socket has no inode).
 */
public final class FlowResolver implements AutoCloseable {
    /** Floors between re-reads, and the share of time a re-read may take (one in {@value #DUTY}). */
    private static final long SOCKET_READ_FLOOR_NANOS = 1_000_000L;
    private static final long FD_SCAN_FLOOR_NANOS = 50_000_000L;
    private static final long NETNS_SCAN_FLOOR_NANOS = 100_000_000L;
    private static final int DUTY = 4;
    private static final long UNKNOWN_NETNS = -1;
    /**
     * How long a far side waits for its namespace to be known: a namespace is found through its
     * processes, and a pod's veth carries frames (ARP, the first SYN) before its first process runs.
     */
    private static final long NETNS_PATIENCE_NANOS = 10_000_000_000L;
    /** Retries of an unknown flow: after 1, 2, 4 ... 32 s, then it stays unknown. */
    private static final int MAX_RETRIES = 6;
    private static final long FIRST_RETRY_NANOS = 1_000_000_000L;
    private static final int RECENT_OWNERS = 64;
    private static final int SMALL_NAMESPACE = 64;
    private static final int RECENT_REMOTE_ENDS = 8192;
    /** How long, and how many, new processes are looked in first for new sockets. */
    private static final long YOUTH_NANOS = 30_000_000_000L;
    private static final int YOUNG_PROCESSES = 128;
    private static final long ARRIVALS_FLOOR_NANOS = 10_000_000L;

    /** A remote end as seen from one namespace. */
    /** The process last seen talking to a remote end, and the uid its socket there had. */
    private record Talker(ProcessOwner owner, int socketUid) {
    }

    private record RemoteEnd(long netns, int protocol, long hi, long lo, int port) {
        static RemoteEnd of(FlowKey key, long netns) {
            return new RemoteEnd(netns, key.protocol(), key.remoteHi(), key.remoteLo(), key.remotePort());
        }
    }

    private static <K, V> Map<K, V> lru(int size) {
        return new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        };
    }

    /** When something was last read, and how long that took. */
    private static final class Read {
        long start = Long.MIN_VALUE;
        long duration;
    }

    /**
     * A namespace's socket tables, its addresses and (the host's) NAT, each with its own read: the
     * TCP files cost milliseconds whatever their size (the kernel walks its whole socket hash), the
     * others microseconds, so one need not wait for the other.
     */
    private static final class Sockets {
        SocketTable tcp = SocketTable.empty();
        SocketTable udp = SocketTable.empty();
        HostAddresses addresses = HostAddresses.empty();
        final Read tcpRead = new Read();
        final Read udpRead = new Read();
        final Read localRead = new Read();

        Read read(int protocol) {
            return protocol == ParsedPacket.TCP ? tcpRead : udpRead;
        }

        SocketTable table(int protocol) {
            return protocol == ParsedPacket.TCP ? tcp : udp;
        }
    }

    private final HostFiles host;
    private final ProcessReader processes;
    private final LongSupplier clock;
    private final HostSocketLookup hostLookup;
    private final long graceNanos;
    private final NetnsRegistry namespaces;
    private final ProcessArrivals arrivals;
    private long arrivalsStartNanos = Long.MIN_VALUE;
    private long arrivalsDurationNanos;
    private final LookupBacklog bounds;
    private final ConntrackReader conntrack;
    private final LookupBacklog.Counts turnedAway = new LookupBacklog.Counts();
    private final List<TrackedFlow> pending = new ArrayList<>();
    /** Where the flows added since the last pass begin in {@link #pending}: between ticks, only those are looked at. */
    private int freshFrom;
    /** Flows that went to unknown, looked up again now and then: a socket may turn up late. */
    private final List<TrackedFlow> retrying = new ArrayList<>();
    private final Map<Integer, ProcessInfo> processCache = new HashMap<>();
    private final Map<Long, Sockets> socketsByNetns = new HashMap<>();
    private final Map<Integer, Long> netnsBehind = new HashMap<>();
    /** Processes that owned flows lately, most recent last: where a new socket is looked for first. */
    private final Map<Integer, Boolean> recentOwners = lru(RECENT_OWNERS);
    /** The last process seen talking to each remote end, for short outbound connections. */
    private final Map<RemoteEnd, Talker> recentRemoteEnds = lru(RECENT_REMOTE_ENDS);
    private Map<Integer, NetInterface> interfaces = Map.of();
    private Set<Integer> uncountedInterfaces = Set.of();
    private Map<Long, io.podhogs.identity.CgroupIdentity> containersByNetns = Map.of();

    private SocketOwners owners = SocketOwners.empty();
    private SocketOwners quickOwners = SocketOwners.empty();
    private long quickScanNanos = Long.MIN_VALUE;
    private long fdScanStartNanos = Long.MIN_VALUE;
    private long fdScanDurationNanos;
    private long netnsScanStartNanos = Long.MIN_VALUE;
    private long netnsScanDurationNanos;
    private long socketReads;
    /** When every pending host TCP flow was last looked up by {@link #hostLookup}. */
    private long connectionLookupNanos = Long.MIN_VALUE;
    /** When the last look of any kind by {@link #hostLookup} ended: flows newer than it are due one. */
    private long lastLookupNanos = Long.MIN_VALUE;
    private long fdScans;

    public FlowResolver(HostFiles host, ProcessReader processes, LongSupplier clock, HostSocketLookup hostLookup,
                        long graceNanos) {
        this(host, processes, clock, hostLookup, graceNanos, LookupBacklog.DEFAULT, false);
    }

    public FlowResolver(HostFiles host, ProcessReader processes, LongSupplier clock, HostSocketLookup hostLookup,
                        long graceNanos, LookupBacklog bounds, boolean conntrackInBackground) {
        this.bounds = bounds;
        this.conntrack = conntrackInBackground ? ConntrackReader.background(host, clock) : ConntrackReader.inline(host, clock);
        this.host = host;
        this.processes = processes;
        this.clock = clock;
        this.hostLookup = hostLookup;
        this.graceNanos = graceNanos;
        this.namespaces = new NetnsRegistry(host);
        namespaces.refresh();
        this.arrivals = new ProcessArrivals(host, YOUTH_NANOS, YOUNG_PROCESSES);
        arrivals.refresh(clock.getAsLong());
    }

    /**
     * The host's interfaces as last read, which decide the roles of the flows' interfaces, and
     * those whose frames the user left out (by name pattern): their flows are nobody's.
     */
    public void interfaces(Map<Integer, NetInterface> current, Set<Integer> uncounted) {
        uncountedInterfaces = Set.copyOf(uncounted);
        if (!current.keySet().equals(interfaces.keySet())) {
            namespaces.forgetInterfaces();
            netnsBehind.keySet().retainAll(current.keySet());
        }
        interfaces = current;
    }

    /**
     * Takes a new flow: settled at once when its interface decides it, else queued; when the queue
     * is full, settled at once to its side's unknown bucket.
     */
    public void add(TrackedFlow flow) {
        if (settledByInterface(flow)) {
            return;
        }
        if (pending.size() < bounds.maxPending()) {
            pending.add(flow);
        } else {
            turnedAway.skipped++;
            flow.owner(ownerOfTheUnfound(flow));
        }
    }

    /**
     * What the interface alone decides: the far side of a device that has none is nobody's; the
     * host side of a bridge port or bond slave is forwarded (the host's own frames are counted on
     * the master), and so are frames a device sent from another's link address: a macvlan's on its
     * lower device, counted for their sockets on the macvlan.
     */
    private boolean settledByInterface(TrackedFlow flow) {
        FlowKey key = flow.key();
        NetInterface device = interfaces.get(key.ifindex());
        if (device == null) {
            return false;
        }
        if (uncountedInterfaces.contains(key.ifindex()) || key.has(FlowKey.PEER) && !device.netnsBoundary()) {
            flow.markUncounted();
            return true;
        }
        if (!key.has(FlowKey.PEER) && (device.enslaved() || relayed(flow, device))) {
            flow.owner(TransitOwner.FORWARDED);
            return true;
        }
        return false;
    }

    private static boolean relayed(TrackedFlow flow, NetInterface device) {
        return flow.linkSource() >= 0 && device.mac() > 0 && flow.linkSource() != device.mac();
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
            lookUpConnections(tick, scope);
            scanLikelyOwnersOfNewSockets(scope);
            attempt(false, scope);
        }
        if (tick && !pending.isEmpty()) {
            attempt(true, pending);
            scanLikelyOwnersOfNewSockets(pending);
            if (pending.stream().anyMatch(f -> f.inode() != 0)
                    && mayRun(fdScanStartNanos, FD_SCAN_FLOOR_NANOS, fdScanDurationNanos)) {
                scanFds();
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
     * The host's TCP connections, each found by its four-tuple without reading a table: newest
     * first, since the newest is the one whose socket may be about to go; between ticks only the
     * flows not looked up yet (an accepted connection's socket gets its inode when the server
     * accepts it, which the ticks' looks catch).
     */
    private void lookUpConnections(boolean tick, List<TrackedFlow> pending) {
        if (!hostLookup.available()) {
            return;
        }
        long now = clock.getAsLong();
        for (int i = pending.size() - 1; i >= 0; i--) {
            TrackedFlow flow = pending.get(i);
            FlowKey key = flow.key();
            boolean due = tick || lastLookupNanos == Long.MIN_VALUE || flow.firstSeenNanos() - lastLookupNanos >= 0;
            if (due && flow.inode() == 0 && exactlyLookedUp(key) && socketKind(key)) {
                SocketEntry socket = hostLookup.connection(key);
                if (socket != null) {
                    if (hostLookup.listener(key) != null) {
                        flow.markAccepted();
                    }
                    flow.socket(socket, clock.getAsLong());
                }
            }
        }
        lastLookupNanos = now + 1;
        if (tick) {
            connectionLookupNanos = now; // every pending flow has been asked for since
        }
    }

    /**
     * Looks for the sockets found since the last such look in the few likely processes (those that
     * owned flows lately, new ones, and all of a small namespace's); all of /proc is scanned only as
     * often as its floor allows. The processes known to be new are looked in before /proc is listed
     * again for newer ones: a listing takes longer than a short connection's socket lives.
     *
     * <p>Accepted connections are left to the full scans, whose youngest-holder rule names a
     * forking server's child. When every socket looked for is an outbound host connection (found
     * by {@link #hostLookup}), the look stops at the first process that holds them all.
     */
    private void scanLikelyOwnersOfNewSockets(List<TrackedFlow> pending) {
        long lastQuick = quickScanNanos;
        List<TrackedFlow> fresh = new ArrayList<>(); // the new ones: older ones wait for a full scan
        for (TrackedFlow f : pending) {
            if (f.inode() != 0 && !f.accepted() && (lastQuick == Long.MIN_VALUE || f.inodeFoundNanos() - lastQuick >= 0)) {
                fresh.add(f);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        quickScanNanos = clock.getAsLong() + 1;
        Set<Long> wanted = null;
        if (fresh.stream().allMatch(f -> exactlyLookedUp(f.key()))) {
            wanted = new java.util.HashSet<>();
            for (TrackedFlow f : fresh) {
                wanted.add(f.inode());
            }
        }
        List<Integer> likely = likelyOwners(pending);
        quickOwners = SocketOwners.scan(host, processes, likely, wanted);
        attempt(false, pending);
        if (pending.stream().anyMatch(f -> f.inode() != 0)
                && mayRun(arrivalsStartNanos, ARRIVALS_FLOOR_NANOS, arrivalsDurationNanos)) {
            long start = clock.getAsLong();
            arrivals.refresh(start);
            arrivalsStartNanos = start;
            arrivalsDurationNanos = clock.getAsLong() - start;
            Set<Integer> looked = new java.util.HashSet<>(likely);
            List<Integer> newer = arrivals.young().stream().filter(pid -> !looked.contains(pid)).toList();
            if (!newer.isEmpty()) {
                quickOwners = SocketOwners.scan(host, processes, newer, wanted);
                attempt(false, pending);
            }
        }
    }

    /** One pass over {@code pending}; with {@code reread}, tables that missed may be read anew. */
    private void attempt(boolean reread, List<TrackedFlow> pending) {
        if (reread && pending.stream().anyMatch(f -> f.key().has(FlowKey.PEER) && netnsOf(f) == UNKNOWN_NETNS)
                && mayRun(netnsScanStartNanos, NETNS_SCAN_FLOOR_NANOS, netnsScanDurationNanos)) {
            long start = clock.getAsLong();
            namespaces.refresh();
            netnsScanStartNanos = start;
            netnsScanDurationNanos = clock.getAsLong() - start;
        }
        for (Iterator<TrackedFlow> it = pending.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            if (!interfaces.containsKey(flow.key().ifindex())) {
                continue; // an interface newer than the last look: its role decides first
            }
            if (settledByInterface(flow)) {
                it.remove();
                continue;
            }
            if (!socketKind(flow.key())) {
                if (settleWithoutSocket(flow)) {
                    it.remove();
                }
                continue;
            }
            if (flow.inode() == 0) {
                SocketEntry socket = findSocket(flow, reread);
                if (socket == null) {
                    Owner transit = transit(flow);
                    if (transit != null) {
                        flow.owner(transit);
                        it.remove();
                    }
                    continue;
                }
                flow.socket(socket, clock.getAsLong());
            }
            int pid = owners.owner(flow.inode());
            if (pid < 0 && !flow.accepted()) {
                pid = quickOwners.owner(flow.inode());
            }
            ProcessInfo process = pid > 0 ? process(pid) : null;
            if (process != null) {
                long netns = sideOf(flow);
                ProcessOwner owner = new ProcessOwner(process, netns);
                flow.owner(owner);
                recentOwners.put(pid, Boolean.TRUE);
                recentRemoteEnds.put(RemoteEnd.of(flow.key(), netns), new Talker(owner, flow.socketUid()));
                it.remove();
            }
        }
    }

    /**
     * Processes to look in first for the sockets of the pending flows, likeliest first: the newest
     * processes (newest first, so that of a parent and the child it handed a socket to, the child
     * comes first, as in a full scan's youngest-holder rule), then the latest owners, then a small
     * namespace's.
     */
    private List<Integer> likelyOwners(List<TrackedFlow> pending) {
        Set<Integer> pids = new java.util.LinkedHashSet<>();
        List<Integer> young = arrivals.young();
        List<Integer> owners = new ArrayList<>(recentOwners.keySet());
        for (int i = young.size() - 1; i >= 0; i--) {
            pids.add(young.get(i));
        }
        for (int i = owners.size() - 1; i >= 0; i--) {
            pids.add(owners.get(i));
        }
        for (TrackedFlow flow : pending) {
            if (flow.inode() != 0 && flow.key().has(FlowKey.PEER)) {
                long netns = netnsOf(flow);
                List<Integer> inside = netns == UNKNOWN_NETNS ? List.of() : namespaces.pids(netns);
                if (inside.size() <= SMALL_NAMESPACE) {
                    pids.addAll(inside); // a pod's few processes: cheaper than all of /proc
                }
            }
        }
        return new ArrayList<>(pids);
    }

    private static boolean socketKind(FlowKey key) {
        return (key.protocol() == ParsedPacket.TCP || key.protocol() == ParsedPacket.UDP)
                && !key.has(FlowKey.NO_PORTS) && !key.has(FlowKey.FOREIGN);
    }

    /**
     * A socket that turns up late (a server whose accept backlog lags under load: until accept(),
     * a connection's socket has no inode) takes the flow's bytes from then on; what was counted
     * unknown stays there, since counters never go down.
     */
    private void retryUnknown() {
        long now = clock.getAsLong();
        for (Iterator<TrackedFlow> it = retrying.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            if (now - flow.retryAtNanos() < 0) {
                continue;
            }
            SocketEntry socket = findSocket(flow, true);
            int pid = socket == null ? -1 : owners.owner(socket.inode());
            if (socket != null && pid < 0 && mayRun(fdScanStartNanos, FD_SCAN_FLOOR_NANOS, fdScanDurationNanos)) {
                scanFds();
                pid = owners.owner(socket.inode());
            }
            ProcessInfo process = pid > 0 ? process(pid) : null;
            if (process != null) {
                flow.owner(new ProcessOwner(process, sideOf(flow)));
                flow.stopRetrying();
                it.remove();
            } else if (flow.retries() >= MAX_RETRIES) {
                flow.stopRetrying();
                it.remove();
            } else {
                flow.scheduleRetry(now + (FIRST_RETRY_NANOS << flow.retries()));
            }
        }
    }

    /** IPIP, IPv6 in IP, GRE and IPsec ESP: tunnels in the IP layer, which no socket owns. */
    private static boolean tunnelProtocol(int protocol) {
        return protocol == 4 || protocol == 41 || protocol == 47 || protocol == 50;
    }

    /** Non-socket traffic: the host's goes to forwarded or unknown at once; a far side once its namespace is known. */
    private boolean settleWithoutSocket(TrackedFlow flow) {
        FlowKey key = flow.key();
        if (!key.has(FlowKey.PEER)) {
            flow.owner(tunnelProtocol(key.protocol()) ? TransitOwner.ENCAPSULATED
                    : passingThrough(key) ? TransitOwner.FORWARDED : UnknownOwner.of(key.protocol()));
            return true;
        }
        long netns = netnsOf(flow);
        if (netns != UNKNOWN_NETNS) {
            flow.owner(tunnelProtocol(key.protocol()) ? TransitOwner.encapsulated(netns)
                    : UnknownOwner.of(key.protocol(), netns));
            return true;
        }
        return false;
    }

    /** A host-side flow whose local end is no address of the host: routed or bridged through it. */
    private boolean passingThrough(FlowKey key) {
        if (key.protocol() == FlowKey.NON_IP) {
            return false;
        }
        if (key.has(FlowKey.FOREIGN)) {
            return true;
        }
        Sockets hostSockets = local(namespaces.hostNetns(), hostLocalNeverRead());
        return !hostSockets.addresses.contains(key.localHi(), key.localLo()) && !linkScoped(key);
    }

    /** Unspecified, multicast, broadcast and link-local ends: the link's own, never forwarded. */
    private static boolean linkScoped(FlowKey key) {
        long hi = key.localHi();
        long lo = key.localLo();
        if (Addresses.isV4Mapped(hi, lo)) {
            int first = (int) (lo >>> 24) & 0xff;
            return (lo & 0xffff_ffffL) == 0 || first >= 224 || (lo & 0xff) == 0xff || (first == 169 && ((lo >>> 16) & 0xff) == 254);
        }
        return (hi == 0 && lo == 0) || (hi >>> 56) == 0xff || (hi >>> 54) == 0x3fa; // ::, ff00::/8, fe80::/10
    }

    /**
     * The flow's socket, from a table read no earlier than the flow's first packet: an older read
     * could hold a socket that closed since, whose ports a new one took.
     */
    private SocketEntry findSocket(TrackedFlow flow, boolean reread) {
        FlowKey key = flow.key();
        long netns = tablesOf(flow);
        if (exactlyLookedUp(key)) {
            local(netns, reread); // the socket is asked for on its own; NAT and addresses still matter
            return hostLookup.connection(key);
        }
        if (!key.has(FlowKey.PEER) || netns != UNKNOWN_NETNS) {
            SocketTable table = table(netns, key.protocol(), reread);
            Sockets s = sockets(netns);
            if (s.read(key.protocol()).start - flow.firstSeenNanos() < 0) {
                return null;
            }
            return table.find(key, s.addresses.contains(key.localHi(), key.localLo()) || linkScoped(key));
        }
        // Not known yet: the namespace whose table has this exact connection is the one.
        SocketEntry found = null;
        long foundIn = UNKNOWN_NETNS;
        for (long candidate : namespaces.others()) {
            SocketEntry e = table(candidate, key.protocol(), reread).findConnected(key);
            if (e != null && sockets(candidate).read(key.protocol()).start - flow.firstSeenNanos() >= 0) {
                if (found != null) {
                    return null; // the same connection in two namespaces: do not guess
                }
                found = e;
                foundIn = candidate;
            }
        }
        if (found != null) {
            netnsBehind.put(key.ifindex(), foundIn);
        }
        return found;
    }

    /** The tables of the namespace that holds the flow's socket, or null while it is not known. */
    private Sockets socketsOf(TrackedFlow flow) {
        long netns = tablesOf(flow);
        return netns == UNKNOWN_NETNS ? null : sockets(netns);
    }

    /** A host TCP flow, whose socket {@link #hostLookup} finds without reading the tables. */
    private boolean exactlyLookedUp(FlowKey key) {
        return hostLookup.available() && !key.has(FlowKey.PEER) && key.protocol() == ParsedPacket.TCP;
    }

    /** The namespace whose tables hold the flow's socket: the host's, or the one behind its veth. */
    private long tablesOf(TrackedFlow flow) {
        return flow.key().has(FlowKey.PEER) ? netnsOf(flow) : namespaces.hostNetns();
    }

    /** The side an owner of the flow is on: 0 for the host's, else the namespace behind the veth. */
    private long sideOf(TrackedFlow flow) {
        return flow.key().has(FlowKey.PEER) ? netnsOf(flow) : 0;
    }

    /** The namespace behind the flow's veth, or {@link #UNKNOWN_NETNS}. */
    private long netnsOf(TrackedFlow flow) {
        return netnsBehind(flow.key().ifindex());
    }

    /** The namespace behind the interface (a veth's far side), or -1 while it is not known. */
    public long netnsBehind(int ifindex) {
        Long pinned = netnsBehind.get(ifindex);
        if (pinned != null) {
            return pinned;
        }
        NetInterface device = interfaces.get(ifindex);
        if (device == null) {
            return UNKNOWN_NETNS;
        }
        long only = UNKNOWN_NETNS;
        for (long candidate : namespaces.others()) {
            if (namespaces.interfaceIndexes(candidate).contains(device.link())) {
                if (only != UNKNOWN_NETNS) {
                    return UNKNOWN_NETNS; // the index repeats: the sockets will tell
                }
                only = candidate;
            }
        }
        if (only != UNKNOWN_NETNS) {
            netnsBehind.put(ifindex, only);
        }
        return only;
    }

    private Sockets sockets(long netns) {
        return socketsByNetns.computeIfAbsent(netns, n -> new Sockets());
    }

    /** The namespace's socket table of {@code protocol}, read anew (with its addresses) if allowed. */
    private SocketTable table(long netns, int protocol, boolean reread) {
        Sockets s = sockets(netns);
        Read read = s.read(protocol);
        if (reread && mayRun(read.start, SOCKET_READ_FLOOR_NANOS, read.duration)) {
            Path dir = namespaces.netDir(netns);
            if (dir != null) {
                long start = clock.getAsLong();
                SocketTable table = SocketTable.read(host, dir, protocol);
                if (protocol == ParsedPacket.TCP) {
                    s.tcp = table;
                } else {
                    s.udp = table;
                }
                read.start = start;
                read.duration = clock.getAsLong() - start;
                socketReads++;
            }
        }
        local(netns, reread);
        return s.table(protocol);
    }

    /** The namespace's addresses and (the host's) NAT, read anew if allowed. */
    private Sockets local(long netns, boolean reread) {
        Sockets s = sockets(netns);
        if (reread && mayRun(s.localRead.start, SOCKET_READ_FLOOR_NANOS, s.localRead.duration)) {
            Path dir = namespaces.netDir(netns);
            if (dir != null) {
                long start = clock.getAsLong();
                s.addresses = HostAddresses.read(host, dir);
                if (netns == namespaces.hostNetns()) {
                    conntrack.request(dir); // only the host translates for others
                }
                s.localRead.start = start;
                s.localRead.duration = clock.getAsLong() - start;
            }
        }
        return s;
    }

    private boolean hostLocalNeverRead() {
        return sockets(namespaces.hostNetns()).localRead.start == Long.MIN_VALUE;
    }

    /** Puts an unknown flow on the list of those looked for again; the oldest goes when the list is full. */
    private void retry(TrackedFlow flow) {
        if (bounds.maxRetrying() == 0) {
            turnedAway.retriesDropped++;
            return;
        }
        if (retrying.size() >= bounds.maxRetrying()) {
            retrying.remove(0).stopRetrying();
            turnedAway.retriesDropped++;
        }
        flow.scheduleRetry(clock.getAsLong() + FIRST_RETRY_NANOS);
        retrying.add(flow);
    }

    private void giveUp() {
        for (Iterator<TrackedFlow> it = pending.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            FlowKey key = flow.key();
            if (clock.getAsLong() - flow.firstSeenNanos() > bounds.maxPendingNanos()) {
                // Held up by something that will not come (its interface went before its role was
                // known): whatever it waits for, it waits no longer.
                turnedAway.expired++;
                flow.owner(ownerOfTheUnfound(flow));
                it.remove();
                continue;
            }
            long deadline = flow.firstSeenNanos() + graceNanos;
            if (!interfaces.containsKey(key.ifindex()) || key.has(FlowKey.PEER) && netnsOf(flow) == UNKNOWN_NETNS) {
                deadline = flow.firstSeenNanos() + Math.max(graceNanos, NETNS_PATIENCE_NANOS);
            }
            if (clock.getAsLong() - deadline < 0) {
                continue;
            }
            boolean hopeless;
            if (flow.inode() != 0) {
                hopeless = fdScanStartNanos != Long.MIN_VALUE
                        && fdScanStartNanos - Math.max(deadline, flow.inodeFoundNanos()) >= 0;
            } else {
                long lastRead;
                if (exactlyLookedUp(key)) {
                    long localRead = older(sockets(namespaces.hostNetns()).localRead.start, conntrack.readStart());
                    lastRead = older(connectionLookupNanos, localRead);
                } else if (!key.has(FlowKey.PEER)) {
                    lastRead = older(lastRead(sockets(namespaces.hostNetns()), key), conntrack.readStart());
                } else {
                    long netns = netnsOf(flow);
                    if (netns == UNKNOWN_NETNS) {
                        lastRead = netnsScanStartNanos;
                    } else if (namespaces.netDir(netns) == null) {
                        lastRead = clock.getAsLong(); // no process left in it: no socket to find
                    } else {
                        lastRead = lastRead(sockets(netns), key);
                    }
                }
                hopeless = lastRead != Long.MIN_VALUE && lastRead - deadline >= 0;
            }
            if (hopeless) {
                ProcessOwner inferred = socketKind(key) ? infer(flow) : null;
                if (inferred != null) {
                    flow.inferredOwner(inferred);
                } else {
                    Owner unfound = ownerOfTheUnfound(flow);
                    flow.owner(unfound);
                    if (socketKind(key) && unfound instanceof UnknownOwner) {
                        retry(flow);
                    }
                }
                it.remove();
            }
        }
    }

    /** The older of two read starts, Long.MIN_VALUE (never read) the oldest. */
    private static long older(long a, long b) {
        return a == Long.MIN_VALUE || b == Long.MIN_VALUE ? Long.MIN_VALUE : a - b < 0 ? a : b;
    }

    /** The older of the flow's socket table read and its namespace's address read. */
    private static long lastRead(Sockets s, FlowKey key) {
        long table = s.read(key.protocol()).start;
        return table - s.localRead.start < 0 ? table : s.localRead.start;
    }

    /**
     * For a flow without a socket: encapsulated when its local UDP port is a kernel tunnel's of its
     * namespace, forwarded when the host translated its connection (conntrack), else null.
     */
    private Owner transit(TrackedFlow flow) {
        FlowKey key = flow.key();
        Sockets s = socketsOf(flow);
        if (s == null) {
            return null;
        }
        // Decided only on reads made after the flow began, like a socket.
        long first = flow.firstSeenNanos();
        if (key.protocol() == ParsedPacket.UDP && s.udpRead.start - first >= 0 && s.udp.kernelTunnel(key)) {
            return TransitOwner.encapsulated(sideOf(flow));
        }
        long natRead = conntrack.readStart();
        if (!key.has(FlowKey.PEER) && natRead != Long.MIN_VALUE && natRead - first >= 0
                && conntrack.table().translated(key)) {
            return TransitOwner.FORWARDED; // NAT: the host's address, another's connection
        }
        return null;
    }

    /**
     * accounting.md's rule for a connection whose socket was gone before it was looked up: inbound,
     * the owner of the listening socket on its local port; outbound, the process last seen talking
     * to the same remote end. Only for a local end that is the namespace's own address. When the
     * flow's socket was found, its holder could not be read rather than being gone (another user's
     * /proc/PID/fd without DAC_READ_SEARCH): then only a socket of the same uid (as the socket table
     * gives it: the listener's, or the one the last process talked through) may name the owner.
     */
    private ProcessOwner infer(TrackedFlow flow) {
        // -1, (uid_t) -1, is no uid (the kernel never gives it); uids past 2^31 are negative ints here.
        int uid = flow.inode() != 0 ? flow.socketUid() : -1;
        FlowKey key = flow.key();
        Sockets s = socketsOf(flow);
        if (s == null) {
            return null;
        }
        if (!s.addresses.contains(key.localHi(), key.localLo())) {
            return null;
        }
        long side = sideOf(flow);
        SocketEntry listener = exactlyLookedUp(key) ? hostLookup.listener(key) : s.table(key.protocol()).listener(key);
        if (listener != null && (uid == -1 || listener.uid() == uid)) {
            int pid = owners.owner(listener.inode());
            if (pid < 0 && mayRun(fdScanStartNanos, FD_SCAN_FLOOR_NANOS, fdScanDurationNanos)) {
                scanFds(); // listeners live long: one scan finds this one for every later connection
                pid = owners.owner(listener.inode());
            }
            ProcessInfo process = pid > 0 ? process(pid) : null;
            if (process != null) {
                return new ProcessOwner(process, side);
            }
        }
        Talker talker = recentRemoteEnds.get(RemoteEnd.of(key, side));
        if (talker == null || (uid != -1 && talker.socketUid() != -1 && talker.socketUid() != uid)) {
            return null;
        }
        return talker.owner();
    }

    private Owner ownerOfTheUnfound(TrackedFlow flow) {
        FlowKey key = flow.key();
        if (!key.has(FlowKey.PEER)) {
            return passingThrough(key) ? TransitOwner.FORWARDED : UnknownOwner.of(key.protocol());
        }
        long netns = netnsOf(flow);
        return UnknownOwner.of(key.protocol(), netns == UNKNOWN_NETNS ? -1 : netns);
    }

    private ProcessInfo process(int pid) {
        ProcessInfo cached = processCache.get(pid);
        long startTime = processes.startTime(pid);
        if (startTime < 0) {
            return cached; // exited since the scan: the scan's view of it is still the best answer
        }
        if (cached != null && cached.startTime() == startTime) {
            return cached;
        }
        ProcessInfo fresh = processes.read(pid).orElse(null);
        if (fresh != null) {
            processCache.put(pid, fresh);
        }
        return fresh;
    }

    private boolean mayRun(long lastStart, long floor, long lastDuration) {
        return lastStart == Long.MIN_VALUE || clock.getAsLong() - lastStart >= Math.max(floor, DUTY * lastDuration);
    }

    private void scanFds() {
        long start = clock.getAsLong();
        owners = SocketOwners.scan(host, processes);
        fdScanStartNanos = start;
        fdScanDurationNanos = clock.getAsLong() - start;
        fdScans++;
    }

    /** Stops the conntrack reader's thread. */
    @Override
    public void close() {
        conntrack.close();
    }

    /** Forgets cached processes that are not among {@code live} PIDs (called now and then). */
    public void retainProcesses(Set<Integer> live) {
        processCache.keySet().retainAll(live);
    }

    /** Rescans the namespaces now and then, so that gone ones are forgotten. */
    public void refreshNamespaces() {
        namespaces.refresh();
        Set<Long> live = new java.util.HashSet<>(namespaces.others());
        live.add(namespaces.hostNetns());
        socketsByNetns.keySet().retainAll(live);
        Map<Long, io.podhogs.identity.CgroupIdentity> containers = new HashMap<>();
        for (long netns : namespaces.others()) {
            // Asked again each time: a namespace's inode is reused by the next namespace made after
            // it is freed, often the next pod's, so what an inode named once says nothing now.
            io.podhogs.identity.CgroupIdentity now = containerOf(netns);
            io.podhogs.identity.CgroupIdentity known = now.inContainer() || now.inPod() ? now : containersByNetns.get(netns);
            if (known != null && (known.inContainer() || known.inPod())) {
                containers.put(netns, known);
            }
        }
        // A namespace whose processes are gone keeps its container while its accounts remain.
        containersByNetns.forEach(containers::putIfAbsent);
        containersByNetns = Map.copyOf(containers);
        // A veth's namespace outlives its processes (a bind mount, a pod's last container exiting):
        // the pin goes with the interface, in interfaces(), not with the processes.
    }

    /** The container of a namespace: what the cgroups of its processes name (the first that names one). */
    private io.podhogs.identity.CgroupIdentity containerOf(long netns) {
        for (int pid : namespaces.pids(netns)) {
            io.podhogs.identity.CgroupIdentity identity = processes.cgroup(pid);
            if (identity.inContainer()) {
                return identity;
            }
        }
        return io.podhogs.identity.CgroupIdentity.NONE;
    }

    /** Forgets the namespaces of containers {@code gone} says are gone for good (a deleted pod's, after its grace). */
    public void forgetContainers(java.util.function.Predicate<io.podhogs.identity.CgroupIdentity> gone) {
        Set<Long> live = new java.util.HashSet<>(namespaces.others());
        Map<Long, io.podhogs.identity.CgroupIdentity> kept = new HashMap<>(containersByNetns);
        if (kept.entrySet().removeIf(e -> !live.contains(e.getKey()) && gone.test(e.getValue()))) {
            containersByNetns = Map.copyOf(kept);
        }
    }

    /** The network namespaces other than the host's that exist, as of the last look. */
    public Set<Long> liveNamespaces() {
        return Set.copyOf(namespaces.others());
    }

    /** Each network namespace's container, as of the last look at the namespaces. */
    public Map<Long, io.podhogs.identity.CgroupIdentity> containersByNetns() {
        return containersByNetns;
    }

    public ResolverStats stats() {
        Sockets hostSockets = sockets(namespaces.hostNetns());
        return new ResolverStats(pending.size(), socketReads, hostSockets.tcpRead.duration, fdScans, fdScanDurationNanos,
                hostSockets.tcp.size() + hostSockets.udp.size(), owners.size(), namespaces.others().size() + 1,
                retrying.size(), turnedAway.skipped(), turnedAway.expired(), turnedAway.retriesDropped(),
                conntrack.table().dropped());
    }

    /**
     * Work done by the resolver, for self-monitoring; what its bounds turned away ({@link LookupBacklog}),
     * and the translated conversations the last conntrack read left out ({@link NatTable#MAX_CONVERSATIONS}).
     */
    public record ResolverStats(int pending, long socketReads, long lastSocketReadNanos, long fdScans,
                                long lastFdScanNanos, int sockets, int ownedInodes, int namespaces, int retrying,
                                long lookupsSkipped, long lookupsExpired, long retriesDropped, long natDropped) {
        /** Stats of a resolver whose bounds turned nothing away. */
        public ResolverStats(int pending, long socketReads, long lastSocketReadNanos, long fdScans, long lastFdScanNanos,
                             int sockets, int ownedInodes, int namespaces) {
            this(pending, socketReads, lastSocketReadNanos, fdScans, lastFdScanNanos, sockets, ownedInodes, namespaces, 0,
                    0, 0, 0, 0);
        }

    }
}
