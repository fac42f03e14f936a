package io.podhogs.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Writes pending rows into a history file: one transaction per flush, every resolution at once;
 * then keeps the file within its bounds: a closed period keeps its top keys by name and sums the
 * rest into {@code other}, each resolution its retention, the file its size budget (the oldest
 * rows go first, finest resolution first). One thread.
 */
final class HistoryWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HistoryWriter.class);
    private static final String UPSERT = "INSERT INTO traffic VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (resolution, start, key, remote_class) DO UPDATE SET"
            + " sent_bytes = sent_bytes + excluded.sent_bytes, sent_packets = sent_packets + excluded.sent_packets,"
            + " received_bytes = received_bytes + excluded.received_bytes,"
            + " received_packets = received_packets + excluded.received_packets";
    /** Keys whose ID is kept in memory; past it the cache starts over (the file has them all). */
    private static final int MAX_CACHED_KEYS = 50_000;

    private final Connection c;
    private final Path file;
    private final HistorySettings settings;
    private final ZoneId zone;
    private final Map<HistoryKey, Long> keyIds = new HashMap<>();
    /** The keys named in each open period and level written to since the start: the open cap. */
    private final Map<PeriodLevel, Set<Long>> openPeriods = new HashMap<>();
    /** Keys an open period found beyond its cap, so that later flushes send them to 'other' without a look-up. */
    private final Map<PeriodLevel, Set<HistoryKey>> beyondCap = new HashMap<>();
    private int beyondCapKept;
    /** Keys remembered beyond caps at most (past it they are looked up again each flush). */
    private static final int MAX_BEYOND_CAP = 50_000;
    private boolean budgetSaid;

    private record PeriodLevel(Resolution resolution, long start, HistoryLevel level) {
    }

    HistoryWriter(Connection c, Path file, HistorySettings settings) throws SQLException {
        this.c = c;
        this.file = file;
        this.settings = settings;
        this.zone = HistoryFile.zone(c);
        c.setAutoCommit(false);
    }

    ZoneId zone() {
        return zone;
    }

    /** Writes {@code pending} in one transaction; on failure nothing of it is written (and it stays pending). */
    void write(PendingRows pending) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
            for (Resolution r : Resolution.values()) {
                Map<Long, Map<HistoryKey, Map<String, long[]>>> byPeriod = new HashMap<>();
                pending.rows().forEach((fiveMinutes, keys) -> {
                    long start = r.start(Instant.ofEpochSecond(fiveMinutes), zone).getEpochSecond();
                    Map<HistoryKey, Map<String, long[]>> to = byPeriod.computeIfAbsent(start, s -> new HashMap<>());
                    keys.forEach((key, classes) -> classes.forEach((cls, t) -> add(to.computeIfAbsent(key,
                            k -> new HashMap<>()).computeIfAbsent(cls, x -> new long[4]), t)));
                });
                for (Map.Entry<Long, Map<HistoryKey, Map<String, long[]>>> p : byPeriod.entrySet()) {
                    // By ID: the keys beyond an open period's cap share 'other's, one upsert for them all.
                    Map<Long, Map<String, long[]>> byId = new HashMap<>();
                    for (Map.Entry<HistoryKey, Map<String, long[]>> k : p.getValue().entrySet()) {
                        Map<String, long[]> to = byId.computeIfAbsent(admit(r, p.getKey(), k.getKey()), i -> new HashMap<>());
                        k.getValue().forEach((cls, t) -> add(to.computeIfAbsent(cls, x -> new long[4]), t));
                    }
                    for (Map.Entry<Long, Map<String, long[]>> k : byId.entrySet()) {
                        for (Map.Entry<String, long[]> cls : k.getValue().entrySet()) {
                            long[] t = cls.getValue();
                            upsert.setString(1, r.label());
                            upsert.setLong(2, p.getKey());
                            upsert.setLong(3, k.getKey());
                            upsert.setString(4, cls.getKey());
                            for (int i = 0; i < 4; i++) {
                                upsert.setLong(5 + i, t[i]);
                            }
                            upsert.addBatch();
                        }
                    }
                }
            }
            upsert.executeBatch();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            openPeriods.clear(); // what it admitted was not written: ask the file again
            forgetBeyondCap();
            keyIds.clear();
            throw e;
        }
    }

    private void forgetBeyondCap() {
        beyondCap.clear();
        beyondCapKept = 0;
    }

    private static void add(long[] to, long[] from) {
        for (int i = 0; i < 4; i++) {
            to[i] += from[i];
        }
    }

    /** The key's ID in the period, or its level's {@code other} row's once the open period names enough keys. */
    private long admit(Resolution r, long start, HistoryKey key) throws SQLException {
        PeriodLevel p = new PeriodLevel(r, start, key.level());
        Set<Long> named = openPeriods.get(p);
        if (named == null) {
            named = keysIn(p);
            openPeriods.put(p, named);
        }
        Set<HistoryKey> beyond = beyondCap.get(p);
        if (beyond != null && beyond.contains(key)) {
            return keyId(HistoryKey.other(key.level()));
        }
        Long known = keyIds.containsKey(key) ? keyIds.get(key) : findKeyId(key);
        if (known != null && named.contains(known)) {
            return known;
        }
        if (named.size() >= settings.openKeys() && !key.isOther()) {
            // Beyond the cap: 'other', and the key itself is not named in the file (it would stay
            // in keys, in no period, until a prune).
            long other = keyId(HistoryKey.other(key.level()));
            named.add(other);
            if (beyondCapKept < MAX_BEYOND_CAP) {
                beyondCap.computeIfAbsent(p, x -> new HashSet<>()).add(key);
                beyondCapKept++;
            }
            return other;
        }
        long id = known != null ? known : keyId(key);
        named.add(id);
        return id;
    }

    /** The key's ID if the file names it already, without naming it; null if not. */
    private Long findKeyId(HistoryKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM keys WHERE level = ? AND name = ? AND user = ?"
                + " AND image = ? AND namespace = ? AND pod = ? AND workload = ?")) {
            bind(s, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                long id = r.getLong(1);
                cache(key, id);
                return id;
            }
        }
    }

    private void cache(HistoryKey key, long id) {
        if (keyIds.size() >= MAX_CACHED_KEYS) {
            keyIds.clear();
        }
        keyIds.put(key, id);
    }

    private Set<Long> keysIn(PeriodLevel p) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT t.key FROM traffic t JOIN keys k ON k.id = t.key"
                + " WHERE t.resolution = ? AND t.start = ? AND k.level = ?")) {
            s.setString(1, p.resolution().label());
            s.setLong(2, p.start());
            s.setString(3, p.level().label());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
        }
        return ids;
    }

    private long keyId(HistoryKey key) throws SQLException {
        Long id = keyIds.get(key);
        if (id != null) {
            return id;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO keys (level, name, user, image, namespace, pod, workload)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            bind(s, key);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM keys WHERE level = ? AND name = ? AND user = ?"
                + " AND image = ? AND namespace = ? AND pod = ? AND workload = ?")) {
            bind(s, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                id = r.getLong(1);
            }
        }
        cache(key, id);
        return id;
    }

    private static void bind(PreparedStatement s, HistoryKey k) throws SQLException {
        s.setString(1, k.level().label());
        s.setString(2, k.name());
        s.setString(3, k.user());
        s.setString(4, k.image());
        s.setString(5, k.namespace());
        s.setString(6, k.pod());
        s.setString(7, k.workload());
    }

    /**
     * Keeps the file within its bounds, after a flush: periods over by {@code now} keep their top
     * keys, each resolution its retention, the file its budget. Its own transaction.
     */
    void maintain(Instant now) throws SQLException {
        try {
            for (PeriodLevel p : new ArrayList<>(openPeriods.keySet())) {
                if (!p.resolution().end(Instant.ofEpochSecond(p.start()), zone).isAfter(now)) {
                    compact(p);
                    openPeriods.remove(p);
                    Set<HistoryKey> gone = beyondCap.remove(p);
                    beyondCapKept -= gone == null ? 0 : gone.size();
                }
            }
            boolean pruned = false;
            for (Map.Entry<Resolution, Duration> e : settings.retention().entrySet()) {
                pruned |= delete("DELETE FROM traffic WHERE resolution = ? AND start < ?", e.getKey().label(),
                        now.minus(e.getValue()).getEpochSecond()) > 0;
            }
            c.commit();
            pruned |= keepWithinBudget(now);
            if (pruned) {
                Set<Long> unused = new HashSet<>();
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT id FROM keys WHERE id NOT IN (SELECT key FROM traffic)")) {
                    while (r.next()) {
                        unused.add(r.getLong(1));
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM keys WHERE id NOT IN (SELECT key FROM traffic)");
                }
                c.commit();
                // Only what went: the keys still in use keep their cached IDs (else every prune
                // would make the next flush look every key up again).
                keyIds.values().removeIf(unused::contains);
            }
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e;
        }
    }

    /** Compacts every period over by {@code now} that names more keys than its top (a file a stopped monitor left). */
    void compactClosed(Instant now) throws SQLException {
        List<PeriodLevel> over = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT t.resolution, t.start, k.level FROM"
                + " (SELECT DISTINCT resolution, start, key FROM traffic) t JOIN keys k ON k.id = t.key"
                + " GROUP BY t.resolution, t.start, k.level HAVING count(*) > ?")) {
            s.setInt(1, settings.topKeys() + 1);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Resolution res = Resolution.parse(r.getString(1));
                    HistoryLevel level = HistoryLevel.parse(r.getString(3));
                    if (res != null && level != null
                            && !res.end(Instant.ofEpochSecond(r.getLong(2)), zone).isAfter(now)) {
                        over.add(new PeriodLevel(res, r.getLong(2), level));
                    }
                }
            }
        }
        try {
            for (PeriodLevel p : over) {
                compact(p);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e;
        }
    }

    /** A closed period's level: its top keys by bytes keep their rows, the rest go into {@code other}. */
    private void compact(PeriodLevel p) throws SQLException {
        long other = keyId(HistoryKey.other(p.level()));
        List<Long> beyond = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT t.key FROM traffic t JOIN keys k ON k.id = t.key"
                + " WHERE t.resolution = ? AND t.start = ? AND k.level = ? AND t.key <> ? GROUP BY t.key"
                + " ORDER BY sum(t.sent_bytes + t.received_bytes) DESC, t.key")) {
            s.setString(1, p.resolution().label());
            s.setLong(2, p.start());
            s.setString(3, p.level().label());
            s.setLong(4, other);
            try (ResultSet r = s.executeQuery()) {
                for (int rank = 0; r.next(); rank++) {
                    if (rank >= settings.topKeys()) {
                        beyond.add(r.getLong(1));
                    }
                }
            }
        }
        try (PreparedStatement into = c.prepareStatement("INSERT INTO traffic SELECT resolution, start, ?, remote_class,"
                + " sum(sent_bytes), sum(sent_packets), sum(received_bytes), sum(received_packets) FROM traffic"
                + " WHERE resolution = ? AND start = ? AND key = ? GROUP BY remote_class"
                + " ON CONFLICT (resolution, start, key, remote_class) DO UPDATE SET"
                + " sent_bytes = sent_bytes + excluded.sent_bytes, sent_packets = sent_packets + excluded.sent_packets,"
                + " received_bytes = received_bytes + excluded.received_bytes,"
                + " received_packets = received_packets + excluded.received_packets");
             PreparedStatement gone = c.prepareStatement("DELETE FROM traffic WHERE resolution = ? AND start = ? AND key = ?")) {
            for (long key : beyond) {
                into.setLong(1, other);
                into.setString(2, p.resolution().label());
                into.setLong(3, p.start());
                into.setLong(4, key);
                into.executeUpdate();
                gone.setString(1, p.resolution().label());
                gone.setLong(2, p.start());
                gone.setLong(3, key);
                gone.executeUpdate();
            }
        }
    }

    /** Past the budget, the oldest period of the finest resolution goes, until the file fits. True if any went. */
    private boolean keepWithinBudget(Instant now) throws SQLException {
        boolean pruned = false;
        for (int round = 0; round < 10_000 && usedBytes() > settings.maxBytes(); round++) {
            Long oldest = null;
            Resolution from = null;
            for (Resolution r : Resolution.values()) {
                long current = r.start(now, zone).getEpochSecond();
                try (PreparedStatement s = c.prepareStatement("SELECT min(start) FROM traffic WHERE resolution = ? AND start < ?")) {
                    s.setString(1, r.label());
                    s.setLong(2, current);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next() && rs.getObject(1) != null) {
                            oldest = rs.getLong(1);
                            from = r;
                            break;
                        }
                    }
                }
            }
            if (from == null) {
                break; // only open periods left: the budget is too small for them
            }
            if (!budgetSaid) {
                budgetSaid = true;
                LOG.warnf("history file %s reached its size budget of %d MiB: its oldest rows go, 5-minute ones first",
                        file, settings.maxBytes() >> 20);
            }
            delete("DELETE FROM traffic WHERE resolution = ? AND start = ?", from.label(), oldest);
            c.commit();
            pruned = true;
        }
        return pruned;
    }

    /** The file's pages in use: what the budget counts (free pages are given back by the vacuum). */
    private long usedBytes() throws SQLException {
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA incremental_vacuum");
            long pages = longOf(s, "PRAGMA page_count");
            long free = longOf(s, "PRAGMA freelist_count");
            return (pages - free) * longOf(s, "PRAGMA page_size");
        } finally {
            c.setAutoCommit(false);
        }
    }

    private static long longOf(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private int delete(String sql, String resolution, long start) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, resolution);
            s.setLong(2, start);
            return s.executeUpdate();
        }
    }

    private void rollback() {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is broken: the next flush says so
        }
    }

    @Override
    public void close() {
        HistoryFile.close(c);
    }
}
