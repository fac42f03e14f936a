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
 * interval or four times the last read's duration, whichever is longer: a flood of new flows costs
 * at most about a fifth of a core here, never a spin. A flow that still misses after a table read
 * that began at least {@code grace} after its first packet gives up: to its namespace's unknown
 * bucket, or to forwarded when its local end is no address of the host (the grace covers the TCP
 * handshake, before which an accepted socket has no inode).
 */
public final class FlowResolver {
    /** Floors between re-reads, and the share of time a re-read may take (one in {@value #DUTY}). */
    private static final long SOCKET_READ_FLOOR_NANOS = 20_000_000L;
    private static final long FD_SCAN_FLOOR_NANOS = 50_000_000L;
    private static final long NETNS_SCAN_FLOOR_NANOS = 100_000_000L;
    private static final int DUTY = 4;
    private static final long UNKNOWN_NETNS = -1;

    /** A namespace's socket table and when it was read. */
    private static final class Sockets {
        SocketTable table = SocketTable.empty();
        HostAddresses addresses = HostAddresses.empty();
        long readStart = Long.MIN_VALUE;
        long readDuration;
    }

    private final HostFiles host;
    private final ProcessReader processes;
    private final LongSupplier clock;
    private final long graceNanos;
    private final NetnsRegistry namespaces;
    private final List<TrackedFlow> pending = new ArrayList<>();
    private final Map<Integer, ProcessInfo> processCache = new HashMap<>();
    private final Map<Long, Sockets> socketsByNetns = new HashMap<>();
    private final Map<Integer, Long> netnsBehind = new HashMap<>();
    private Map<Integer, NetInterface> interfaces = Map.of();

    private SocketOwners owners = SocketOwners.empty();
    private long fdScanStartNanos = Long.MIN_VALUE;
    private long fdScanDurationNanos;
    private long netnsScanStartNanos = Long.MIN_VALUE;
    private long netnsScanDurationNanos;
    private long socketReads;
    private long fdScans;

    public FlowResolver(HostFiles host, ProcessReader processes, LongSupplier clock, long graceNanos) {
        this.host = host;
        this.processes = processes;
        this.clock = clock;
        this.graceNanos = graceNanos;
        this.namespaces = new NetnsRegistry(host);
        namespaces.refresh();
    }

    /** The host's interfaces as last read, which decide the roles of the flows' interfaces. */
    public void interfaces(Map<Integer, NetInterface> current) {
        if (!current.keySet().equals(interfaces.keySet())) {
            namespaces.forgetInterfaces();
            netnsBehind.keySet().retainAll(current.keySet());
        }
        interfaces = current;
    }

    /** Takes a new flow: settled at once when its interface or protocol decides it, else queued. */
    public void add(TrackedFlow flow) {
        FlowKey key = flow.key();
        NetInterface device = interfaces.get(key.ifindex());
        if (key.has(FlowKey.PEER)) {
            if (device != null && !device.netnsBoundary()) {
                flow.markNoFarSide();
                return;
            }
        } else if (device != null && device.enslaved()) {
            flow.owner(TransitOwner.FORWARDED);
            return;
        }
        pending.add(flow);
    }

    /** Looks up every pending flow, re-reading the tables when misses allow it. */
    public void resolvePending() {
        if (pending.isEmpty()) {
            return;
        }
        attempt(false);
        if (!pending.isEmpty()) {
            attempt(true);
        }
        if (pending.stream().anyMatch(f -> f.inode() != 0) && mayRun(fdScanStartNanos, FD_SCAN_FLOOR_NANOS, fdScanDurationNanos)) {
            scanFds();
            attempt(false);
        }
        giveUp();
    }

    /** One pass over the pending flows; with {@code reread}, tables that missed may be read anew. */
    private void attempt(boolean reread) {
        if (reread && pending.stream().anyMatch(f -> f.key().has(FlowKey.PEER) && netnsOf(f) == UNKNOWN_NETNS)
                && mayRun(netnsScanStartNanos, NETNS_SCAN_FLOOR_NANOS, netnsScanDurationNanos)) {
            long start = clock.getAsLong();
            namespaces.refresh();
            netnsScanStartNanos = start;
            netnsScanDurationNanos = clock.getAsLong() - start;
        }
        for (Iterator<TrackedFlow> it = pending.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            if (!socketKind(flow.key())) {
                if (settleWithoutSocket(flow)) {
                    it.remove();
                }
                continue;
            }
            if (flow.inode() == 0) {
                SocketEntry socket = findSocket(flow, reread);
                if (socket == null) {
                    continue;
                }
                flow.inode(socket.inode(), clock.getAsLong());
            }
            int pid = owners.owner(flow.inode());
            ProcessInfo process = pid > 0 ? process(pid) : null;
            if (process != null) {
                flow.owner(new ProcessOwner(process, flow.key().has(FlowKey.PEER) ? netnsOf(flow) : 0));
                it.remove();
            }
        }
    }

    private static boolean socketKind(FlowKey key) {
        return (key.protocol() == ParsedPacket.TCP || key.protocol() == ParsedPacket.UDP)
                && !key.has(FlowKey.NO_PORTS) && !key.has(FlowKey.FOREIGN);
    }

    /** Non-socket traffic: the host's goes to forwarded or unknown at once; a far side once its namespace is known. */
    private boolean settleWithoutSocket(TrackedFlow flow) {
        FlowKey key = flow.key();
        if (!key.has(FlowKey.PEER)) {
            flow.owner(passingThrough(key) ? TransitOwner.FORWARDED : UnknownOwner.of(key.protocol()));
            return true;
        }
        long netns = netnsOf(flow);
        if (netns != UNKNOWN_NETNS) {
            flow.owner(UnknownOwner.of(key.protocol(), netns));
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
        Sockets hostSockets = sockets(namespaces.hostNetns());
        if (hostSockets.readStart == Long.MIN_VALUE) {
            table(namespaces.hostNetns(), true); // the addresses come with the first read
        }
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
        long netns = key.has(FlowKey.PEER) ? netnsOf(flow) : namespaces.hostNetns();
        if (!key.has(FlowKey.PEER) || netns != UNKNOWN_NETNS) {
            SocketTable table = table(netns, reread);
            Sockets s = sockets(netns);
            if (s.readStart - flow.firstSeenNanos() < 0) {
                return null;
            }
            return table.find(key, s.addresses.contains(key.localHi(), key.localLo()) || linkScoped(key));
        }
        // Not known yet: the namespace whose table has this exact connection is the one.
        SocketEntry found = null;
        long foundIn = UNKNOWN_NETNS;
        for (long candidate : namespaces.others()) {
            SocketEntry e = table(candidate, reread).findConnected(key);
            if (e != null && sockets(candidate).readStart - flow.firstSeenNanos() >= 0) {
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

    /** The namespace behind the flow's veth, or {@link #UNKNOWN_NETNS}. */
    private long netnsOf(TrackedFlow flow) {
        int ifindex = flow.key().ifindex();
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

    private SocketTable table(long netns, boolean reread) {
        Sockets s = sockets(netns);
        if (reread && mayRun(s.readStart, SOCKET_READ_FLOOR_NANOS, s.readDuration)) {
            Path dir = namespaces.netDir(netns);
            if (dir != null) {
                long start = clock.getAsLong();
                s.table = SocketTable.read(host, dir);
                s.addresses = HostAddresses.read(host, dir);
                s.readStart = start;
                s.readDuration = clock.getAsLong() - start;
                socketReads++;
            }
        }
        return s.table;
    }

    private void giveUp() {
        for (Iterator<TrackedFlow> it = pending.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            long deadline = flow.firstSeenNanos() + graceNanos;
            if (clock.getAsLong() - deadline < 0) {
                continue;
            }
            FlowKey key = flow.key();
            boolean hopeless;
            if (flow.inode() != 0) {
                hopeless = fdScanStartNanos != Long.MIN_VALUE
                        && fdScanStartNanos - Math.max(deadline, flow.inodeFoundNanos()) >= 0;
            } else {
                long lastRead;
                if (!key.has(FlowKey.PEER)) {
                    lastRead = sockets(namespaces.hostNetns()).readStart;
                } else {
                    long netns = netnsOf(flow);
                    lastRead = netns == UNKNOWN_NETNS ? netnsScanStartNanos : sockets(netns).readStart;
                }
                hopeless = lastRead != Long.MIN_VALUE && lastRead - deadline >= 0;
            }
            if (hopeless) {
                flow.owner(ownerOfTheUnfound(flow));
                it.remove();
            }
        }
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

    public int pendingCount() {
        return pending.size();
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
        netnsBehind.values().removeIf(netns -> !live.contains(netns));
    }

    public ResolverStats stats() {
        Sockets hostSockets = sockets(namespaces.hostNetns());
        return new ResolverStats(pending.size(), socketReads, hostSockets.readDuration, fdScans, fdScanDurationNanos,
                hostSockets.table.size(), owners.size(), namespaces.others().size() + 1);
    }

    /** Work done by the resolver, for self-monitoring. */
    public record ResolverStats(int pending, long socketReads, long lastSocketReadNanos, long fdScans,
                                long lastFdScanNanos, int sockets, int ownedInodes, int namespaces) {
    }
}
