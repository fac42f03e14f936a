package io.podhogs.export;

import io.podhogs.accounting.AccountKey;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.Traffic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run showed, for the summary it ends with (vnStat's {@code -l}): per row shown, its bytes
 * and packets, and its rates over the refresh intervals it was shown in, highest, average (its
 * bytes over the run) and lowest. Fed with each refresh's rows; bounded: past {@link #MAX_ROWS}
 * rows, new ones are counted and left out.
 */
public final class LiveSummary {
    static final int MAX_ROWS = 10_000;

    /** One row as the summary tells it. */
    public record Row(String name, String program, String kind, int pid, int uid, Traffic total, Rates sent,
                      Rates received) {
    }

    /** Bytes a second: the highest and lowest over the refresh intervals, and the average over the run. */
    public record Rates(double max, double average, double min) {
    }

    private static final class Seen {
        String name;
        String program;
        String kind;
        int pid;
        int uid;
        Traffic total = Traffic.NONE;
        long lastNanos;
        double maxSent;
        double minSent = Double.MAX_VALUE;
        double maxReceived;
        double minReceived = Double.MAX_VALUE;
    }

    private final long startNanos;
    private final Map<AccountKey, Seen> rows = new LinkedHashMap<>();
    private long lastNanos;
    private int refreshes;
    private long left;

    public LiveSummary(long startNanos) {
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    /**
     * One refresh's rows, as shown.
     *
     * @param nanos when (System.nanoTime)
     * @param format names the rows as the run does
     */
    public void add(long nanos, List<AccountSnapshot> shown, RowFormat format) {
        for (AccountSnapshot a : shown) {
            Seen s = rows.get(a.key());
            if (s == null) {
                if (rows.size() >= MAX_ROWS) {
                    left++;
                    continue;
                }
                s = new Seen();
                s.lastNanos = lastNanos; // its bytes so far came in the interval it was first shown in
                rows.put(a.key(), s);
            }
            s.name = format.name(a);
            s.program = format.commandLines().program(a);
            s.kind = JsonWriter.kind(a);
            s.pid = a.pid();
            s.uid = a.uid();
            double interval = Math.max(1e-9, (nanos - s.lastNanos) / 1e9);
            double sent = Math.max(0, a.sentBytes() - s.total.sentBytes()) / interval;
            double received = Math.max(0, a.receivedBytes() - s.total.receivedBytes()) / interval;
            s.maxSent = Math.max(s.maxSent, sent);
            s.minSent = Math.min(s.minSent, sent);
            s.maxReceived = Math.max(s.maxReceived, received);
            s.minReceived = Math.min(s.minReceived, received);
            s.total = a.total();
            s.lastNanos = nanos;
        }
        lastNanos = nanos;
        refreshes++;
    }

    /** How long the run was, to its last refresh. */
    public double seconds() {
        return (lastNanos - startNanos) / 1e9;
    }

    public int refreshes() {
        return refreshes;
    }

    /** Rows left out at the bound. */
    public long left() {
        return left;
    }

    /** The rows, in the order first shown. */
    public List<Row> rows() {
        double seconds = Math.max(1e-9, seconds());
        List<Row> out = new ArrayList<>();
        for (Seen s : rows.values()) {
            out.add(new Row(s.name, s.program, s.kind, s.pid, s.uid, s.total,
                    new Rates(s.maxSent, s.total.sentBytes() / seconds, s.minSent),
                    new Rates(s.maxReceived, s.total.receivedBytes() / seconds, s.minReceived)));
        }
        return out;
    }
}
