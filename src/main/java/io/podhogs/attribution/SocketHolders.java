package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Which process holds a socket, from the fd links of /proc/PID/fd: a full scan of every process,
 * as often as its {@link Throttle} allows, and quick looks in a few likely ones between. The
 * processes named are read once and cached by PID and start time. Engine thread only.
 */
final class SocketHolders {
    private static final long FULL_SCAN_FLOOR_NANOS = 50_000_000L;

    private final HostFiles host;
    private final ProcessReader processes;
    private final LongSupplier clock;
    private final Throttle fullScan = new Throttle(FULL_SCAN_FLOOR_NANOS);
    private final Map<Integer, ProcessInfo> cache = new HashMap<>();
    private SocketOwners all = SocketOwners.empty();
    private SocketOwners few = SocketOwners.empty();
    private long fullScans;

    SocketHolders(HostFiles host, ProcessReader processes, LongSupplier clock) {
        this.host = host;
        this.processes = processes;
        this.clock = clock;
    }

    /** Scans every process, if its throttle allows; false if it did not. */
    boolean scanAllIfAllowed() {
        if (!fullScan.mayRun(clock.getAsLong())) {
            return false;
        }
        long start = clock.getAsLong();
        all = SocketOwners.scan(host, processes);
        fullScan.ran(start, clock.getAsLong());
        fullScans++;
        return true;
    }

    /**
     * Looks in {@code pids} only, in that order; with {@code wanted}, stops at the first process that
     * holds them all. What it finds replaces what the last such look found.
     */
    void scanFew(List<Integer> pids, Set<Long> wanted) {
        few = SocketOwners.scan(host, processes, pids, wanted);
    }

    /**
     * The holder of the socket of {@code inode} as the scans found it, or null. An accepted
     * connection's is taken from full scans only: a forking server hands its socket to a child after
     * a moment in which only the parent holds it, and a full scan names the youngest holder.
     */
    ProcessInfo found(long inode, boolean accepted) {
        int pid = all.owner(inode);
        if (pid < 0 && !accepted) {
            pid = few.owner(inode);
        }
        return pid > 0 ? process(pid) : null;
    }

    /** The holder of the socket of {@code inode}, with a full scan first if need be and allowed. */
    ProcessInfo holderOf(long inode) {
        int pid = all.owner(inode);
        if (pid < 0 && scanAllIfAllowed()) {
            pid = all.owner(inode);
        }
        return pid > 0 ? process(pid) : null;
    }

    /** Whether the last full scan began at {@code t} or later. */
    boolean scannedAllSince(long t) {
        return fullScan.startedSince(t);
    }

    private ProcessInfo process(int pid) {
        ProcessInfo cached = cache.get(pid);
        long startTime = processes.startTime(pid);
        if (startTime < 0) {
            return cached; // exited since the scan: the scan's view of it is still the best answer
        }
        if (cached != null && cached.startTime() == startTime) {
            return cached;
        }
        ProcessInfo fresh = processes.read(pid).orElse(null);
        if (fresh != null) {
            cache.put(pid, fresh);
        }
        return fresh;
    }

    /** Forgets cached processes that are not among {@code live} PIDs. */
    void retainProcesses(Set<Integer> live) {
        cache.keySet().retainAll(live);
    }

    long fullScans() {
        return fullScans;
    }

    long lastFullScanNanos() {
        return fullScan.durationNanos();
    }

    /** Sockets whose holder the last full scan found. */
    int owned() {
        return all.size();
    }
}
