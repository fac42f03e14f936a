package io.podhogs.history;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.Ledger;
import io.podhogs.accounting.TrafficDelta;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.HistorySink;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.apps.Applications;
import io.podhogs.identity.IdentityLookup;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * What recording the history costs (issue 17): a real {@link HistoryRecorder}, with the default
 * settings (a flush every 30 s, 500 keys a level in an open period), fed one drain a real second
 * by a real {@link Ledger} in which N processes, each its own program (/usr/bin/prog-i, UID 0),
 * got new traffic in that second: N program keys, plus the container, pod and namespace levels'
 * "(no ...)" rows (host processes, no cluster).
 *
 * <p>The drains come at the engine's pace, one a real second, because the recorder flushes on its
 * own wall-clock timer: compressing time would change how many drains each flush sums. The file's
 * calendar is shifted (a fixed offset on the real clock) so that a 5-minute period closes in the
 * middle of the measured window and its compaction is measured too.
 *
 * <p>Measured: the CPU time of the recorder's own thread ({@code podhogs-history}) over a window of
 * whole flush intervals (from 15 s after the start: four flushes in the default 120 s), as a share
 * of one core; the feeding thread's {@link Ledger#drainUnrecorded} separately (the engine's cost,
 * not the recorder's); the file's size (and its WAL's) at the end, and its rows once closed. Not
 * counted in the recorder's CPU: the JIT and the collector, which run on threads of their own
 * (the recorder's allocation rate is printed for that).
 *
 * <p>Not a JUnit test: {@code bench/history-recording.sh} runs it. Arguments: {@code --keys
 * 10,1000,10000}, {@code --window SECONDS} (a multiple of 30: whole flush intervals), {@code
 * --warmup SECONDS} (an unmeasured recorder on a file of its own, flushing every 500 ms, so that
 * what is measured runs compiled code, as a long-running monitor's does).
 */
public final class HistoryRecordingBench {
    private static final String THREAD = "podhogs-history";
    private static final long SECOND = 1_000_000_000L;
    /** Measured from this many seconds after the recorder started: half a flush interval. */
    private static final int LEAD = 15;
    /** Drains after the window, before the recorder is closed. */
    private static final int TAIL = 5;
    /** The simulated period boundary falls this many seconds into the run (the window's middle). */
    private static final int BOUNDARY_AT = 75;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private HistoryRecordingBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> keyCounts = List.of(10, 1_000, 10_000);
        int window = 120;
        int warmup = 15;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keyCounts = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .map(s -> Integer.parseInt(s.replace("_", ""))).toList();
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--keys 10,1000,10000 --window 120 --warmup 15)");
            }
        }
        if (window % 30 != 0 || window < 90) {
            throw new IllegalArgumentException("--window must be whole flush intervals (30 s), at least 90");
        }
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM measures no thread CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        System.out.printf(Locale.ROOT, "history recording bench: keys %s, window %d s (from %d s after the start),"
                        + " one drain a real second, flush every %d s, open-period cap %d keys a level; %s, %d cores%n",
                keyCounts, window, LEAD, HistorySettings.defaults().flushInterval().toSeconds(),
                HistorySettings.defaults().openKeys(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        if (warmup > 0) {
            warmUp(Math.min(2_000, keyCounts.stream().mapToInt(Integer::intValue).max().orElse(1_000)), warmup);
        }
        List<Result> results = new ArrayList<>();
        for (int keys : keyCounts) {
            Result r = run(keys, window);
            results.add(r);
            r.print();
        }
        System.out.println();
        System.out.println("| keys | recorder CPU (% of a core) | drain CPU | file size after the span | notes |");
        System.out.println("|---|---|---|---|---|");
        for (Result r : results) {
            System.out.println(r.row());
        }
    }

    /** N processes, each its own program. */
    private static ProcessOwner[] owners(int n) {
        ProcessOwner[] owners = new ProcessOwner[n];
        for (int i = 0; i < n; i++) {
            String path = "/usr/bin/prog-" + i;
            owners[i] = new ProcessOwner(new ProcessInfo(10_000 + i, 1_000 + i, 0, path, path + " --serve",
                    "prog-" + i, CgroupIdentity.NONE));
        }
        return owners;
    }

    /** Each process gets some traffic: what one second of the engine's ticks credits (their sum). */
    private static void credit(Ledger ledger, ProcessOwner[] owners, TrafficDelta delta, int second, long nowNanos) {
        for (int i = 0; i < owners.length; i++) {
            long sent = 1_000 + (i * 7_919L + second * 104_729L) % 50_000; // spread: the top keys differ by period
            long received = 500 + (i * 3_571L + second * 7_727L) % 20_000;
            ledger.credit(owners[i], 2, delta.set(sent, 1 + sent / 1_400, received, 1 + received / 1_400), nowNanos);
        }
    }

    private static HistoryRecorder start(Path file, HistorySettings settings, Clock clock) throws HistoryException {
        return HistoryRecorder.start(file, settings, IdentityLookup.NONE, id -> null, uid -> "root", Applications::automatic, false, clock);
    }

    /** Unmeasured: the same code paths (drains, flushes, period compaction) until they run compiled. */
    private static void warmUp(int keys, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("podhogs-history-warmup");
        Path file = dir.resolve("history.db");
        SimClock clock = new SimClock(ZonedDateTime.of(2025, 6, 10, 8, 0, 0, 0, ZoneId.systemDefault()).toInstant());
        Ledger ledger = new Ledger(2 * SECOND, SECOND / 10);
        ledger.startRecording();
        ProcessOwner[] owners = owners(keys);
        TrafficDelta delta = new TrafficDelta();
        HistoryRecorder recorder = start(file, HistorySettings.withFlush(Duration.ofMillis(500)), clock);
        long t0 = System.nanoTime();
        int drains = 0;
        for (int step = 0; System.nanoTime() - t0 < seconds * SECOND; step++) {
            credit(ledger, owners, delta, step, System.nanoTime());
            clock.set(clock.instant().plusSeconds(20)); // 20 simulated seconds a step: periods close often
            if (recorder.hasRoom()) {
                recorder.accept(new HistorySink.Drain(clock.instant(), ledger.drainUnrecorded(), Map.of()));
                drains++;
            }
            LockSupport.parkNanos(SECOND / 4);
        }
        recorder.close();
        System.out.printf(Locale.ROOT, "warm-up: %d keys, %d drains over %d s (flush every 500 ms), not measured%n",
                keys, drains, seconds);
        deleteAll(dir);
    }

    private static Result run(int keys, int window) throws Exception {
        System.gc();
        Path dir = Files.createTempDirectory("podhogs-history-bench");
        Path file = dir.resolve("history.db");
        ZoneId zone = ZoneId.systemDefault();
        // The file's calendar: the run starts at 10:03:45 local, so the 10:00 5-minute period closes
        // 75 s in (mid-window), and no hour or day does.
        Instant simStart = ZonedDateTime.of(2025, 6, 10, 10, 3, 45, 0, zone).toInstant();
        Set<Long> before = historyThreads();
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), simStart));
        HistoryRecorder recorder = start(file, HistorySettings.defaults(), clock);
        long recorderId = recorderThread(before);

        Ledger ledger = new Ledger(2 * SECOND, SECOND / 10);
        ledger.startRecording();
        ProcessOwner[] owners = owners(keys);
        TrafficDelta delta = new TrafficDelta();
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) THREADS;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        int seconds = LEAD + window + TAIL;
        long[] recorderCpu = new long[seconds + 1]; // at each second's start, before its drain
        long[] recorderAlloc = new long[seconds + 1];
        long[] wall = new long[seconds + 1];
        long windowDrainCpu = 0;
        long maxDrainCpu = 0;
        int skipped = 0;
        long windowProcessCpu = 0;
        long windowGcMillis = 0;
        long feederCpuAtLead = 0;
        long feederCpuAtEnd = 0;
        long t0 = System.nanoTime();
        for (int s = 0; s <= seconds; s++) {
            long due = t0 + s * SECOND;
            for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            recorderCpu[s] = THREADS.getThreadCpuTime(recorderId);
            recorderAlloc[s] = sun.getThreadAllocatedBytes(recorderId);
            wall[s] = System.nanoTime();
            if (s == LEAD) {
                windowProcessCpu = -os.getProcessCpuTime();
                windowGcMillis = -gcMillis();
                feederCpuAtLead = THREADS.getCurrentThreadCpuTime();
            } else if (s == LEAD + window) {
                windowProcessCpu += os.getProcessCpuTime();
                windowGcMillis += gcMillis();
                feederCpuAtEnd = THREADS.getCurrentThreadCpuTime();
            }
            if (s == seconds) {
                break;
            }
            credit(ledger, owners, delta, s, System.nanoTime());
            ledger.sample(System.nanoTime());
            if (recorder.hasRoom()) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                List<AccountSnapshot> drained = ledger.drainUnrecorded();
                long spent = THREADS.getCurrentThreadCpuTime() - c0;
                if (s >= LEAD && s < LEAD + window) {
                    windowDrainCpu += spent;
                    maxDrainCpu = Math.max(maxDrainCpu, spent);
                }
                recorder.accept(new HistorySink.Drain(clock.instant(), drained, Map.of()));
            } else {
                skipped++; // the engine would keep the bytes in the ledger until the next second
            }
        }
        long dbBytes = size(file);
        long walBytes = size(Path.of(file + "-wal"));
        long shmBytes = size(Path.of(file + "-shm"));
        long c0 = System.nanoTime();
        recorder.close();
        long closeMillis = (System.nanoTime() - c0) / 1_000_000;
        long closedBytes = size(file) + size(Path.of(file + "-wal"));

        Result r = new Result();
        r.keys = keys;
        r.window = window;
        r.windowWallNanos = wall[LEAD + window] - wall[LEAD];
        r.recorderNanos = recorderCpu[LEAD + window] - recorderCpu[LEAD];
        r.wholeRunRecorderNanos = recorderCpu[seconds] - recorderCpu[0];
        r.recorderAllocBytes = recorderAlloc[LEAD + window] - recorderAlloc[LEAD];
        r.drainNanos = windowDrainCpu;
        r.maxDrainNanos = maxDrainCpu;
        r.feederNanos = feederCpuAtEnd - feederCpuAtLead;
        r.processNanos = windowProcessCpu;
        r.gcMillis = windowGcMillis;
        r.skipped = skipped;
        r.dbBytes = dbBytes;
        r.walBytes = walBytes;
        r.shmBytes = shmBytes;
        r.closedBytes = closedBytes;
        r.closeMillis = closeMillis;
        r.analyse(recorderCpu, window);
        r.count(file, simStart);
        deleteAll(dir);
        return r;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static Set<Long> historyThreads() {
        Set<Long> ids = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(THREAD)) {
                ids.add(t.getId());
            }
        }
        return ids;
    }

    /** The new recorder's thread: the one named {@value #THREAD} that was not there before. */
    private static long recorderThread(Set<Long> before) {
        for (int tries = 0; tries < 100; tries++) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(THREAD) && t.isAlive() && !before.contains(t.getId())) {
                    return t.getId();
                }
            }
            LockSupport.parkNanos(SECOND / 100);
        }
        throw new IllegalStateException("no " + THREAD + " thread");
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void deleteAll(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A clock the warm-up moves by hand. */
    private static final class SimClock extends Clock {
        private volatile Instant now;

        SimClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static final class Result {
        int keys;
        int window;
        long windowWallNanos;
        long recorderNanos;
        long wholeRunRecorderNanos;
        long recorderAllocBytes;
        long drainNanos;
        long maxDrainNanos;
        long feederNanos;
        long processNanos;
        long gcMillis;
        int skipped;
        long dbBytes;
        long walBytes;
        long shmBytes;
        long closedBytes;
        long closeMillis;
        /** The recorder's CPU in a second with only a drain to add (the median second). */
        long addNanos;
        /** Per flush in the window: its CPU beyond the drains' (the flush's seconds less the median). */
        long[] flushNanos;
        String rows = "";
        long trafficRows;
        long keyRows;
        long closedProgramRows;
        long openProgramRows;
        boolean capped;

        /**
         * The flushes come every 30 s from the recorder's start, a little later each time (by the
         * flushes before): flush j's CPU is that of seconds 30j-1 .. 30j+2 less their drains'.
         */
        void analyse(long[] cpu, int window) {
            int seconds = cpu.length - 1;
            long[] perSecond = new long[seconds];
            for (int s = 0; s < seconds; s++) {
                perSecond[s] = cpu[s + 1] - cpu[s];
            }
            long[] sorted = Arrays.copyOfRange(perSecond, LEAD, LEAD + window);
            Arrays.sort(sorted);
            addNanos = sorted[sorted.length / 2];
            int flushes = window / 30;
            flushNanos = new long[flushes];
            for (int j = 1; j <= flushes; j++) {
                long sum = 0;
                int from = 30 * j - 1;
                int to = Math.min(seconds - 1, 30 * j + 2);
                for (int s = from; s <= to; s++) {
                    sum += perSecond[s];
                }
                flushNanos[j - 1] = Math.max(0, sum - (to - from + 1) * addNanos);
            }
        }

        void count(Path file, Instant simStart) throws Exception {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            long boundary = simStart.plusSeconds(BOUNDARY_AT).getEpochSecond();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
                 Statement s = c.createStatement()) {
                List<String> parts = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT resolution, count(*) FROM traffic GROUP BY resolution")) {
                    while (r.next()) {
                        parts.add(r.getString(1) + " " + r.getLong(2));
                        trafficRows += r.getLong(2);
                    }
                }
                rows = String.join(", ", parts);
                keyRows = one(s, "SELECT count(*) FROM keys");
                closedProgramRows = one(s, "SELECT count(*) FROM traffic t JOIN keys k ON k.id = t.key WHERE"
                        + " t.resolution = '5min' AND k.level = 'program' AND t.start < " + boundary);
                openProgramRows = one(s, "SELECT count(*) FROM traffic t JOIN keys k ON k.id = t.key WHERE"
                        + " t.resolution = '5min' AND k.level = 'program' AND t.start = " + boundary);
                capped = one(s, "SELECT count(*) FROM traffic t JOIN keys k ON k.id = t.key WHERE"
                        + " t.resolution = '5min' AND t.start = " + boundary + " AND k.level = 'program'"
                        + " AND k.name = 'other'") > 0;
            }
        }

        private static long one(Statement s, String sql) throws Exception {
            try (ResultSet r = s.executeQuery(sql)) {
                return r.next() ? r.getLong(1) : 0;
            }
        }

        double pct(long nanos) {
            return 100.0 * nanos / windowWallNanos;
        }

        /** A 5-minute cycle of steady recording: 300 drains, 10 flushes, one period compaction. */
        double projectedPct() {
            long plain = plainFlushNanos();
            long extra = 0;
            for (int j = 0; j < flushNanos.length; j++) {
                if (j == 0 || j == boundaryFlush()) {
                    extra += Math.max(0, flushNanos[j] - plain);
                }
            }
            return 100.0 * (300 * addNanos + 10 * plain + extra) / (300 * SECOND);
        }

        /** The flush after the period boundary (75 s in): the third. */
        int boundaryFlush() {
            return BOUNDARY_AT / 30;
        }

        /** The median of the flushes that are neither the first (which names every key in the file) nor the boundary's. */
        long plainFlushNanos() {
            List<Long> plain = new ArrayList<>();
            for (int j = 1; j < flushNanos.length; j++) {
                if (j != boundaryFlush()) {
                    plain.add(flushNanos[j]);
                }
            }
            plain.sort(null);
            return plain.isEmpty() ? 0 : plain.get(plain.size() / 2);
        }

        void print() {
            System.out.printf(Locale.ROOT, "%n%,d keys: window %.1f s of wall time%n", keys, windowWallNanos / 1e9);
            System.out.printf(Locale.ROOT, "  recorder thread CPU: %.3f s = %.3f%% of a core (whole run incl. first"
                            + " 15 s: %.3f s); allocated %.1f MB (%.2f MB/s)%n", recorderNanos / 1e9, pct(recorderNanos),
                    wholeRunRecorderNanos / 1e9, recorderAllocBytes / 1e6, recorderAllocBytes / 1e6 / (windowWallNanos / 1e9));
            System.out.printf(Locale.ROOT, "  per drain (median second): %.3f ms; flushes (CPU beyond the drains'): %s ms"
                            + " (1st names every key, %s after the period closed)%n", addNanos / 1e6,
                    Arrays.stream(flushNanos).mapToObj(n -> String.format(Locale.ROOT, "%.1f", n / 1e6))
                            .collect(Collectors.joining(", ")), ordinal(boundaryFlush() + 1));
            System.out.printf(Locale.ROOT, "  projected over a 5-minute cycle (300 drains, 10 flushes, 1 compaction,"
                    + " keys named once): %.3f%% of a core%n", projectedPct());
            System.out.printf(Locale.ROOT, "  Ledger.drainUnrecorded: %.3f s = %.3f%% of a core (%.3f ms a drain, max"
                            + " %.3f ms); feeding thread in all (credits too): %.3f%%%n", drainNanos / 1e9, pct(drainNanos),
                    drainNanos / 1e6 / window, maxDrainNanos / 1e6, pct(feederNanos));
            System.out.printf(Locale.ROOT, "  whole JVM over the window: %.3f%% of a core (GC %d ms); drains skipped"
                    + " (recorder full): %d%n", pct(processNanos), gcMillis, skipped);
            System.out.printf(Locale.ROOT, "  file at the end: %,d bytes + WAL %,d (+ shm %,d); after close: %,d bytes"
                    + " (close took %d ms)%n", dbBytes, walBytes, shmBytes, closedBytes, closeMillis);
            System.out.printf(Locale.ROOT, "  rows: %,d (%s); keys table %,d; program rows of the closed 5-min period"
                            + " %,d, of the open one %,d%s%n", trafficRows, rows, keyRows, closedProgramRows,
                    openProgramRows, capped ? " (at the cap: the rest in 'other')" : "");
        }

        private static String ordinal(int n) {
            return n + (n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th");
        }

        String row() {
            String notes = String.format(Locale.ROOT, "%.2f ms a drain; flushes %s ms; 5-min cycle projected %.3f%%;"
                            + " %,d rows, %,d keys; closed 5-min period %,d program rows, open %,d%s",
                    addNanos / 1e6, Arrays.stream(flushNanos).mapToObj(n -> String.format(Locale.ROOT, "%.0f", n / 1e6))
                            .collect(Collectors.joining("/")), projectedPct(), trafficRows, keyRows,
                    closedProgramRows, openProgramRows, capped ? " (cap of 500 reached: the rest in 'other')" : "");
            return String.format(Locale.ROOT, "| %,d | %.3f%% | %.3f%% | %,d + WAL %,d bytes (%,d closed) | %s |", keys,
                    pct(recorderNanos), pct(drainNanos), dbBytes, walBytes, closedBytes, notes);
        }
    }
}
