package io.podhogs.history;

import io.podhogs.accounting.Traffic;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a history file, never changing it (while a monitor writes it, too): a resolution's periods
 * in a range, per key of a level, or per workload (its pods summed), the top keys of each period
 * by bytes with the rest summed into {@code other}.
 */
public final class HistoryQuery implements AutoCloseable {
    /** Rows one answer holds at most: periods x keys. */
    public static final int MAX_ROWS = 100_000;

    private final Connection c;
    private final Path file;
    private final ZoneId zone;

    private HistoryQuery(Connection c, Path file, ZoneId zone) {
        this.c = c;
        this.file = file;
        this.zone = zone;
    }

    public static HistoryQuery open(Path file) throws HistoryException {
        Connection c = HistoryFile.openForReading(file);
        try {
            return new HistoryQuery(c, file, HistoryFile.zone(c));
        } catch (SQLException e) {
            HistoryFile.close(c);
            throw HistoryFile.failure(file, e);
        }
    }

    /** The zone the file counts its days in. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The rows of {@code resolution} whose periods start in [since, until) (null: open), by
     * {@code level} (or by workload when {@code byWorkload}: the pod level summed per namespace and
     * workload), each period's top {@code top} keys and an {@code other} row; periods oldest first,
     * keys by bytes within a period.
     */
    public List<HistoryRow> rows(Resolution resolution, HistoryLevel level, boolean byWorkload, Instant since,
                                 Instant until, int top) throws HistoryException {
        return rows(resolution, level, byWorkload, since, until, top, MAX_ROWS);
    }

    /** As {@link #rows(Resolution, HistoryLevel, boolean, Instant, Instant, int)}, the first {@code maxRows} at most. */
    public List<HistoryRow> rows(Resolution resolution, HistoryLevel level, boolean byWorkload, Instant since,
                                 Instant until, int top, int maxRows) throws HistoryException {
        HistoryLevel stored = byWorkload ? HistoryLevel.POD : level;
        Map<Long, Map<HistoryKey, Map<String, long[]>>> periods = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT t.start, k.name, k.user, k.image, k.namespace, k.pod,"
                + " k.workload, t.remote_class, t.sent_bytes, t.sent_packets, t.received_bytes, t.received_packets"
                + " FROM traffic t JOIN keys k ON k.id = t.key WHERE t.resolution = ? AND k.level = ?"
                + " AND t.start >= ? AND t.start < ? ORDER BY t.start")) {
            s.setString(1, resolution.label());
            s.setString(2, stored.label());
            s.setLong(3, since == null ? Long.MIN_VALUE : since.getEpochSecond());
            s.setLong(4, until == null ? Long.MAX_VALUE : until.getEpochSecond());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    HistoryKey key = new HistoryKey(stored, r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7));
                    if (byWorkload) {
                        key = key.isBucket() ? key : workloadOf(key);
                    }
                    long[] t = periods.computeIfAbsent(r.getLong(1), p -> new LinkedHashMap<>())
                            .computeIfAbsent(key, k -> new LinkedHashMap<>())
                            .computeIfAbsent(r.getString(8), x -> new long[4]);
                    for (int i = 0; i < 4; i++) {
                        t[i] += r.getLong(9 + i);
                    }
                }
            }
        } catch (SQLException e) {
            throw HistoryFile.failure(file, e);
        }
        List<HistoryRow> rows = new ArrayList<>();
        for (Map.Entry<Long, Map<HistoryKey, Map<String, long[]>>> p : periods.entrySet()) {
            Instant start = Instant.ofEpochSecond(p.getKey());
            Instant end = resolution.end(start, zone);
            List<HistoryRow> period = new ArrayList<>();
            p.getValue().forEach((key, classes) -> period.add(row(start, end, key, classes)));
            period.sort(Comparator.comparingLong(HistoryRow::total).reversed());
            rows.addAll(topOf(period, top, stored));
            if (rows.size() >= maxRows) {
                break;
            }
        }
        return rows.size() > maxRows ? List.copyOf(rows.subList(0, maxRows)) : rows;
    }

    /** A pod row as its workload's: a pod with none is its own. */
    private static HistoryKey workloadOf(HistoryKey pod) {
        String workload = pod.workload().isEmpty() ? "Pod/" + pod.name() : pod.workload();
        return new HistoryKey(HistoryLevel.POD, workload, "", "", pod.namespace(), "", workload);
    }

    private static HistoryRow row(Instant start, Instant end, HistoryKey key, Map<String, long[]> classes) {
        Map<String, Traffic> byClass = new TreeMap<>();
        Traffic total = Traffic.NONE;
        for (Map.Entry<String, long[]> e : classes.entrySet()) {
            long[] t = e.getValue();
            Traffic traffic = new Traffic(t[0], t[1], t[2], t[3]);
            byClass.put(e.getKey(), traffic);
            total = total.plus(traffic);
        }
        return new HistoryRow(start, end, key, total, byClass);
    }

    /** The period's {@code top} rows by bytes, and one {@code other} row with the rest (and what was other already). */
    private static List<HistoryRow> topOf(List<HistoryRow> period, int top, HistoryLevel level) {
        List<HistoryRow> kept = new ArrayList<>();
        HistoryRow other = null;
        for (HistoryRow r : period) {
            if (!r.key().isOther() && kept.size() < top) {
                kept.add(r);
            } else {
                other = other == null ? new HistoryRow(r.start(), r.end(), HistoryKey.other(level), Traffic.NONE, Map.of())
                        : other;
                Map<String, Traffic> byClass = new TreeMap<>(other.byRemoteClass());
                r.byRemoteClass().forEach((k, t) -> byClass.merge(k, t, Traffic::plus));
                other = new HistoryRow(r.start(), r.end(), other.key(), other.traffic().plus(r.traffic()), byClass);
            }
        }
        if (other != null) {
            kept.add(other);
        }
        return kept;
    }

    @Override
    public void close() {
        HistoryFile.close(c);
    }
}
