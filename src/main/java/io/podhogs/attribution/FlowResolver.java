package io.podhogs.attribution;

import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Finds the owner of each new flow: socket (from the socket tables) then process (from the fd
 * links). Runs on the engine thread, never on the packet path.
 *
 * <p>Both tables are re-read only when a pending flow misses, and then no more often than a floor
 * interval or four times the last read's duration, whichever is longer: a flood of new flows costs
 * at most about a fifth of a core here, never a spin. A flow that still misses after a table read
 * that began at least {@code grace} after its first packet gives up and goes to its unknown bucket
 * (the grace covers the TCP handshake, before which an accepted socket has no inode).
 */
public final class FlowResolver {
    /** Floors between re-reads, and the share of time a re-read may take (one in {@value #DUTY}). */
    private static final long SOCKET_READ_FLOOR_NANOS = 20_000_000L;
    private static final long FD_SCAN_FLOOR_NANOS = 50_000_000L;
    private static final int DUTY = 4;

    private final HostFiles host;
    private final ProcessReader processes;
    private final LongSupplier clock;
    private final long graceNanos;
    private final Path netDir;
    private final List<TrackedFlow> pending = new ArrayList<>();
    private final Map<Integer, ProcessInfo> processCache = new HashMap<>();

    private SocketTable sockets = SocketTable.empty();
    private long socketReadStartNanos = Long.MIN_VALUE;
    private long socketReadDurationNanos;
    private SocketOwners owners = SocketOwners.empty();
    private long fdScanStartNanos = Long.MIN_VALUE;
    private long fdScanDurationNanos;
    private long socketReads;
    private long fdScans;

    public FlowResolver(HostFiles host, ProcessReader processes, LongSupplier clock, long graceNanos) {
        this.host = host;
        this.processes = processes;
        this.clock = clock;
        this.graceNanos = graceNanos;
        this.netDir = host.proc("self", "net");
    }

    /** Takes a new flow: owned at once when no socket can own it, else queued for lookup. */
    public void add(TrackedFlow flow) {
        FlowKey key = flow.key();
        boolean socketKind = key.protocol() == ParsedPacket.TCP || key.protocol() == ParsedPacket.UDP;
        if (!socketKind || key.flags() != 0) {
            flow.owner(UnknownOwner.of(key.protocol()));
        } else {
            pending.add(flow);
        }
    }

    /** Looks up every pending flow, re-reading the tables when misses allow it. */
    public void resolvePending() {
        if (pending.isEmpty()) {
            return;
        }
        if (attempt() > 0 && mayReadSockets()) {
            readSockets();
            attempt();
        }
        if (pending.stream().anyMatch(f -> f.inode() != 0) && mayScanFds()) {
            scanFds();
            attempt();
        }
        giveUp();
    }

    /** One pass over the pending flows with the tables as they are; returns how many missed a socket. */
    private int attempt() {
        int socketMisses = 0;
        for (Iterator<TrackedFlow> it = pending.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            if (flow.inode() == 0) {
                SocketEntry socket = sockets.find(flow.key());
                if (socket == null) {
                    socketMisses++;
                    continue;
                }
                flow.inode(socket.inode(), clock.getAsLong());
            }
            int pid = owners.owner(flow.inode());
            ProcessInfo process = pid > 0 ? process(pid) : null;
            if (process != null) {
                flow.owner(new ProcessOwner(process));
                it.remove();
            }
        }
        return socketMisses;
    }

    private void giveUp() {
        for (Iterator<TrackedFlow> it = pending.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            long deadline = flow.firstSeenNanos() + graceNanos;
            boolean hopeless = flow.inode() == 0
                    ? socketReadStartNanos != Long.MIN_VALUE && socketReadStartNanos - deadline >= 0
                    : fdScanStartNanos != Long.MIN_VALUE && fdScanStartNanos - Math.max(deadline, flow.inodeFoundNanos()) >= 0;
            if (hopeless) {
                flow.owner(UnknownOwner.of(flow.key().protocol()));
                it.remove();
            }
        }
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

    private boolean mayReadSockets() {
        return socketReadStartNanos == Long.MIN_VALUE || clock.getAsLong() - socketReadStartNanos
                >= Math.max(SOCKET_READ_FLOOR_NANOS, DUTY * socketReadDurationNanos);
    }

    private boolean mayScanFds() {
        return fdScanStartNanos == Long.MIN_VALUE || clock.getAsLong() - fdScanStartNanos
                >= Math.max(FD_SCAN_FLOOR_NANOS, DUTY * fdScanDurationNanos);
    }

    private void readSockets() {
        long start = clock.getAsLong();
        sockets = SocketTable.read(host, netDir);
        socketReadStartNanos = start;
        socketReadDurationNanos = clock.getAsLong() - start;
        socketReads++;
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
    public void retainProcesses(java.util.Set<Integer> live) {
        processCache.keySet().retainAll(live);
    }

    public ResolverStats stats() {
        return new ResolverStats(pending.size(), socketReads, socketReadDurationNanos, fdScans, fdScanDurationNanos,
                sockets.size(), owners.size());
    }

    /** Work done by the resolver, for self-monitoring. */
    public record ResolverStats(int pending, long socketReads, long lastSocketReadNanos, long fdScans,
                                long lastFdScanNanos, int sockets, int ownedInodes) {
    }
}
