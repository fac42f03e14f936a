package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Reads the host's conntrack table ({@link NatTable}) beside the engine thread, not on it: the
 * kernel prints /proc/net/nf_conntrack a line per tracked connection, which takes it a second or
 * more when a flood has filled the table (a quarter of a million entries), and the engine must
 * publish its snapshot every tick meanwhile. The resolver asks for a read when a flow needs one and
 * uses the last table read, with when that read began (a flow is judged only by a read that began
 * after its first packet). Reads take at most a quarter of the time, as the resolver's own reads.
 */
final class ConntrackReader implements AutoCloseable {
    private static final long FLOOR_NANOS = 1_000_000L;
    private static final int DUTY = 4;

    private final HostFiles host;
    private final LongSupplier clock;
    private final Executor executor;
    private final ExecutorService owned;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile NatTable table = NatTable.empty();
    private volatile long readStart = Long.MIN_VALUE;
    private volatile long readDuration;

    /** Reads on a daemon thread of its own. */
    static ConntrackReader background(HostFiles host, LongSupplier clock) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "podhogs-conntrack");
            t.setDaemon(true);
            return t;
        });
        return new ConntrackReader(host, clock, thread, thread);
    }

    /** Reads on the caller's thread, at once: for tests, whose clock the test moves. */
    static ConntrackReader inline(HostFiles host, LongSupplier clock) {
        return new ConntrackReader(host, clock, Runnable::run, null);
    }

    private ConntrackReader(HostFiles host, LongSupplier clock, Executor executor, ExecutorService owned) {
        this.host = host;
        this.clock = clock;
        this.executor = executor;
        this.owned = owned;
    }

    /** Starts a read of {@code netDir}'s table unless one runs or the last ended too recently. */
    void request(Path netDir) {
        long now = clock.getAsLong();
        long last = readStart;
        if (last != Long.MIN_VALUE && now - last < Math.max(FLOOR_NANOS, DUTY * readDuration)) {
            return;
        }
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> read(netDir));
        } catch (RuntimeException e) {
            reading.set(false); // shut down: no more reads
        }
    }

    private void read(Path netDir) {
        try {
            long start = clock.getAsLong();
            NatTable read = NatTable.read(host, netDir);
            readDuration = clock.getAsLong() - start;
            table = read;
            readStart = start; // after the table: whoever sees this start sees this table
        } finally {
            reading.set(false);
        }
    }

    /** The last table read (empty before the first). */
    NatTable table() {
        return table;
    }

    /** Whether the read of {@link #table()} began at {@code t} or later (false before the first). */
    boolean readSince(long t) {
        long start = readStart;
        return start != Long.MIN_VALUE && start - t >= 0;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.shutdownNow();
        }
    }
}
