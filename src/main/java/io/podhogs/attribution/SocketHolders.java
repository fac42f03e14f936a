package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Which process holds a socket, from the fd links of /proc/PID/fd: a full scan of every process,
 * as often as its {@link Throttle} allows, and quick looks in a few likely ones between. The
 * processes named are read once and cached by PID and start time. Engine thread only, but for the
 * full scans of a host (background): they run on a thread of their own, since one readlink an fd
 * adds up to seconds on a node whose processes hold a hundred thousand sockets, and the engine must
 * publish every tick meanwhile (the agent's liveness went down on the scale rig); their results are
 * taken in by the engine thread when done.
 */
final class SocketHolders implements AutoCloseable {
    private static final long FULL_SCAN_FLOOR_NANOS = 50_000_000L;
    /** The fd links a quick look reads at most: a few milliseconds' worth. */
    static final int QUICK_LOOK_FDS = 4_096;

    /**
     * How long a cached process stands without its start time read again: a PID is reused only
     * after the kernel has gone round every other, never within this, and at a thousand new
     * connections a second one /proc/PID/stat read a flow was a twentieth of the engine.
     */
    static final long RECHECK_NANOS = 100_000_000L;

    /** A process as read, and when its start time was last seen to match. */
    private record Cached(ProcessInfo info, long checkedNanos) {
    }

    /** A full scan done on the scan thread: what it found, when it began and ended. */
    private record Done(SocketOwners owners, long startNanos, long endNanos) {
    }

    private final HostFiles host;
    private final ProcessReader processes;
    private final LongSupplier clock;
    private final Throttle fullScan = new Throttle(FULL_SCAN_FLOOR_NANOS);
    private final Map<Integer, Cached> cache = new HashMap<>();
    /** The scan thread; null: scans run on the caller's thread (tests whose clock they move). */
    private final ExecutorService scanner;
    private final AtomicReference<Done> done = new AtomicReference<>();
    private boolean scanning;
    private SocketOwners all = SocketOwners.empty();
    private SocketOwners few = SocketOwners.empty();
    private long fullScans;

    SocketHolders(HostFiles host, ProcessReader processes, LongSupplier clock, boolean background) {
        this.host = host;
        this.processes = processes;
        this.clock = clock;
        this.scanner = background ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "podhogs-fd-scan");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Takes in a finished full scan, and starts one if its throttle allows and none runs (inline:
     * scans at once). True if new results were taken in (inline: if it scanned).
     */
    boolean scanAllIfAllowed() {
        if (scanner == null) {
            if (!fullScan.mayRun(clock.getAsLong())) {
                return false;
            }
            long start = clock.getAsLong();
            all = SocketOwners.scan(host, processes);
            fullScan.ran(start, clock.getAsLong());
            fullScans++;
            return true;
        }
        boolean fresh = takeDone();
        if (!scanning && fullScan.mayRun(clock.getAsLong())) {
            scanning = true;
            try {
                scanner.execute(() -> {
                    long start = clock.getAsLong();
                    SocketOwners owners = SocketOwners.scan(host, processes);
                    done.set(new Done(owners, start, clock.getAsLong()));
                });
            } catch (RejectedExecutionException e) {
                scanning = false; // closed
            }
        }
        return fresh;
    }

    /** Takes in the scan thread's finished scan, if there is one. */
    private boolean takeDone() {
        Done d = done.getAndSet(null);
        if (d == null) {
            return false;
        }
        all = d.owners();
        fullScan.ran(d.startNanos(), d.endNanos());
        fullScans++;
        scanning = false;
        return true;
    }

    /**
     * Looks in {@code pids} only, in that order; with {@code wanted}, stops at the first process that
     * holds them all. What it finds replaces what the last such look found.
     */
    void scanFew(List<Integer> pids, Set<Long> wanted) {
        few = SocketOwners.scan(host, processes, pids, wanted, QUICK_LOOK_FDS);
    }

    /**
     * The holder of the socket of {@code inode}, found at {@code inodeFoundNanos}, as the scans
     * found it, or null. An accepted
     * connection's is taken from full scans only: a forking server hands its socket to a child after
     * a moment in which only the parent holds it, and a full scan names the youngest holder.
     */
    ProcessInfo found(long inode, boolean accepted, long inodeFoundNanos) {
        takeDone();
        // Only a full scan that began once the socket was found: one already under way on the scan
        // thread may have seen a forking server's parent alone with it.
        int pid = fullScan.startedSince(inodeFoundNanos) ? all.owner(inode) : -1;
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

    /** Stops the scan thread. */
    @Override
    public void close() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
    }

    /** Whether the last full scan taken in began at {@code t} or later. */
    boolean scannedAllSince(long t) {
        return fullScan.startedSince(t);
    }

    private ProcessInfo process(int pid) {
        Cached cached = cache.get(pid);
        long now = clock.getAsLong();
        if (cached != null && now - cached.checkedNanos() < RECHECK_NANOS) {
            return cached.info();
        }
        long startTime = processes.startTime(pid);
        if (startTime < 0) {
            return cached == null ? null : cached.info(); // exited since the scan: its view is still the best answer
        }
        if (cached != null && cached.info().startTime() == startTime) {
            cache.put(pid, new Cached(cached.info(), now));
            return cached.info();
        }
        ProcessInfo fresh = processes.read(pid).orElse(null);
        if (fresh != null) {
            cache.put(pid, new Cached(fresh, now));
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
