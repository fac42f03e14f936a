package io.podhogs.history;

import io.podhogs.apps.Applications;
import io.podhogs.engine.HistorySink;
import io.podhogs.identity.IdentityLookup;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Records what the engine credits into a history file, on a thread of its own: the engine's
 * drains (once a second) are summed in memory by 5-minute period and key, and written every
 * flush interval in one transaction. A flush that fails (a full disk, a file another writer
 * holds) is said once and tried again, what it held kept in memory (bounded); the counting goes
 * on whatever the file does.
 */
public final class HistoryRecorder implements HistorySink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HistoryRecorder.class);
    /** Drains waiting for the recorder's thread; past it the engine keeps the bytes for later. */
    private static final int QUEUED_DRAINS = 8;
    private static final long STOP_WAIT_MILLIS = 3_000;

    private final Path file;
    private final HistorySettings settings;
    private final DrainKeys keys;
    private final Clock clock;
    private final BlockingQueue<Drain> drains = new LinkedBlockingQueue<>();
    private final PendingRows pending = new PendingRows();
    private final Thread thread;
    private volatile boolean stopping;
    private WriterLock lock;
    private HistoryWriter writer;
    private boolean givenUp;
    private String lastProblem = "";

    private HistoryRecorder(Path file, HistorySettings settings, DrainKeys keys, Clock clock, WriterLock lock,
                            HistoryWriter writer) {
        this.file = file;
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
        this.lock = lock;
        this.writer = writer;
        this.thread = new Thread(this::run, "podhogs-history");
        thread.setDaemon(true);
    }

    /**
     * Opens {@code file} for recording and starts the recorder's thread.
     *
     * @param waitForWriter when another podhogs records into the file: wait for it, saying so (the
     *     agent: a rolling update runs two on a node for a while); else refuse (the command line)
     * @param containerNames a container's name, or null; {@code userNames} a UID's user
     * @param applications the grouping into applications the app level is recorded by, as it is now
     */
    public static HistoryRecorder start(Path file, HistorySettings settings, IdentityLookup identity,
                                        Function<String, String> containerNames, IntFunction<String> userNames,
                                        Supplier<Applications> applications, boolean waitForWriter, Clock clock)
            throws HistoryException {
        DrainKeys keys = new DrainKeys(identity, containerNames, userNames, applications);
        HistoryFile.checkWritable(file); // before the lock file is made beside it
        WriterLock lock;
        try {
            lock = WriterLock.tryTake(file);
        } catch (IOException e) {
            throw new HistoryException("history file " + file + " cannot be written (" + e.getMessage()
                    + "): give a writable one");
        }
        HistoryWriter writer = null;
        if (lock == null) {
            String holder = WriterLock.holder(file);
            if (!waitForWriter) {
                throw new HistoryException("history file " + file + " is being recorded by another podhogs (PID "
                        + holder + "): give another file, or stop that one");
            }
            LOG.warnf("history file %s is being recorded by another podhogs (PID %s): waiting for it to stop; what is"
                    + " counted meanwhile is recorded once it has", file, holder);
        } else {
            try {
                writer = open(file, settings, clock.instant());
            } catch (HistoryException e) {
                lock.close();
                throw e;
            }
        }
        HistoryRecorder recorder = new HistoryRecorder(file, settings, keys, clock, lock, writer);
        recorder.thread.start();
        return recorder;
    }

    private static HistoryWriter open(Path file, HistorySettings settings, Instant now) throws HistoryException {
        java.sql.Connection c = HistoryFile.openForWriting(file, ZoneId.systemDefault());
        try {
            HistoryWriter w = new HistoryWriter(c, file, settings);
            w.compactClosed(now); // periods a monitor stopped in the middle of
            return w;
        } catch (SQLException e) {
            HistoryFile.close(c);
            throw HistoryFile.failure(file, e);
        }
    }

    @Override
    public boolean hasRoom() {
        return drains.size() < QUEUED_DRAINS;
    }

    @Override
    public void accept(Drain drain) {
        drains.add(drain);
    }

    private void run() {
        long flushMillis = settings.flushInterval().toMillis();
        long nextFlush = System.currentTimeMillis() + flushMillis;
        try {
            while (!stopping || !drains.isEmpty()) {
                if (lock == null && !givenUp) {
                    takeOver();
                }
                long wait = Math.max(1, Math.min(500, nextFlush - System.currentTimeMillis()));
                Drain d = drains.poll(wait, TimeUnit.MILLISECONDS);
                if (d != null) {
                    add(d);
                }
                if (System.currentTimeMillis() >= nextFlush) {
                    flush();
                    nextFlush = System.currentTimeMillis() + flushMillis;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf("history recording into %s stopped: %s", file, e);
        } finally {
            Drain d;
            while ((d = drains.poll()) != null) {
                add(d);
            }
            flush();
            if (writer != null) {
                writer.close();
            }
            if (lock != null) {
                lock.close();
            }
        }
    }

    private void add(Drain d) {
        long fiveMinutes = Resolution.FIVE_MINUTES.start(d.time(), ZoneOffset.UTC).getEpochSecond();
        keys.rows(d, (key, byClass) -> pending.add(fiveMinutes, key, byClass));
    }

    /** Waiting for another writer: takes the file once it has let go. */
    private void takeOver() {
        try {
            WriterLock l = WriterLock.tryTake(file);
            if (l == null) {
                return;
            }
            try {
                writer = open(file, settings, clock.instant());
                lock = l;
                LOG.infof("history file %s: the other podhogs stopped; recording into it", file);
            } catch (HistoryException e) {
                l.close();
                givenUp = true;
                LOG.errorf("history not recorded: %s", e.getMessage());
            }
        } catch (IOException e) {
            givenUp = true;
            LOG.errorf("history not recorded: history file %s cannot be written (%s)", file, e.getMessage());
        }
    }

    private void flush() {
        if (lock == null || pending.isEmpty() && lastProblem.isEmpty()) {
            return; // not the writer (yet), or nothing to do
        }
        try {
            if (writer == null) {
                writer = open(file, settings, clock.instant()); // after a failure: SQLite's state after it is not trusted
            }
            if (!pending.isEmpty()) {
                writer.write(pending);
                pending.clear();
            }
            writer.maintain(clock.instant());
            if (!lastProblem.isEmpty()) {
                LOG.infof("history file %s is written again", file);
                lastProblem = "";
            }
        } catch (HistoryException | SQLException | RuntimeException e) {
            // A connection that failed (a full disk leaves SQLite's pager in its error state) is
            // closed; the next flush opens the file again.
            if (writer != null) {
                writer.close();
                writer = null;
            }
            String problem = e instanceof SQLException s ? HistoryFile.failure(file, s).getMessage()
                    : e instanceof HistoryException h ? h.getMessage() : e.toString();
            if (!problem.equals(lastProblem)) {
                LOG.warnf("history not written (%s): kept in memory (%d rows) and tried again every %d s", problem,
                        pending.size(), settings.flushInterval().toSeconds());
                lastProblem = problem;
            }
        }
    }

    /** Takes the engine's last drain (it stops first), writes everything, and lets the file go. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(STOP_WAIT_MILLIS);
            if (thread.isAlive()) {
                LOG.warnf("history file %s: the last flush did not end within %d ms", file, STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
