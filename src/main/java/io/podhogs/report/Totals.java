package io.podhogs.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes each process of a log sent and received, summed as the log's view mode asks. Cumulative
 * modes (nethogs -v 1/2/3, podhogs's JSON) print each process's total so far: its last value is its
 * total, and a value that falls, or a monitor that starts again, begins a new run whose total adds to
 * the runs before it (a restarted monitor, or a pid used again by a program of the same name). Rate
 * modes (-v 0/4/5) print a rate per refresh: the total is the sum of rate x refresh interval, an
 * estimate. Where the log has times, only what was counted between {@code since} and {@code until}.
 */
public final class Totals implements LogEvents {
    /** Processes kept apart at most; rows of more are left out and counted. */
    public static final int MAX_PROCESSES = 1_000_000;

    /** One process as the log names it; identity keeps namespaces' and containers' rows apart. */
    private record Key(String program, long pid, long uid, String user, String identity) {
    }

    /** Totals in bytes: runs ended, the current run's last value, and what came before {@code since}. */
    private static final class Counted {
        double bankedSent;
        double bankedReceived;
        double lastSent;
        double lastReceived;
        double baselineSent;
        double baselineReceived;
    }

    /** One process's totals. */
    public record Total(String program, long pid, long uid, String user, long sentBytes, long receivedBytes) {
    }

    private final boolean rate;
    private final double bytesPerUnit;
    private final Instant since;
    private final Instant until;
    private final Map<Key, Counted> counted = new HashMap<>();
    private long rowsLeftOut;
    private boolean estimated;

    /**
     * @param rate whether a text log's numbers are rates (view modes 0, 4, 5); JSON logs hold bytes
     * @param bytesPerUnit bytes in the log's unit (1024 for KB); for rates, times the refresh interval
     * @param since only what was counted after this (null: from the log's start); needs times
     * @param until only what was counted until this (null: to the log's end); needs times
     */
    public Totals(boolean rate, double bytesPerUnit, Instant since, Instant until) {
        this.rate = rate;
        this.bytesPerUnit = bytesPerUnit;
        this.since = since;
        this.until = until;
    }

    @Override
    public void monitorStarted() {
        for (Counted c : counted.values()) {
            c.bankedSent += c.lastSent;
            c.bankedReceived += c.lastReceived;
            c.lastSent = 0;
            c.lastReceived = 0;
        }
    }

    @Override
    public void row(LogRow row) {
        if (row.time() != null && until != null && row.time().isAfter(until)) {
            return;
        }
        boolean before = row.time() != null && since != null && row.time().isBefore(since);
        Key key = new Key(row.program(), row.pid(), row.uid(), row.user(), row.identity());
        Counted c = counted.get(key);
        if (c == null) {
            if (counted.size() >= MAX_PROCESSES) {
                rowsLeftOut++;
                return;
            }
            c = new Counted();
            counted.put(key, c);
        }
        double unit = row.bytesSoFar() ? 1 : bytesPerUnit;
        double sent = row.sent() * unit;
        double received = row.received() * unit;
        if (rate && !row.bytesSoFar()) {
            estimated = true;
            if (!before) {
                c.lastSent += sent;
                c.lastReceived += received;
            }
            return;
        }
        if (sent < c.lastSent || received < c.lastReceived) {
            c.bankedSent += c.lastSent; // counters back to zero: a new run of the monitor or of the pid
            c.bankedReceived += c.lastReceived;
        }
        c.lastSent = sent;
        c.lastReceived = received;
        if (before) {
            c.baselineSent = c.bankedSent + c.lastSent;
            c.baselineReceived = c.bankedReceived + c.lastReceived;
        }
    }

    /** Every process's totals, in no order. */
    public List<Total> totals() {
        List<Total> all = new ArrayList<>(counted.size());
        counted.forEach((k, c) -> all.add(new Total(k.program(), k.pid(), k.uid(), k.user(),
                Math.round(c.bankedSent + c.lastSent - c.baselineSent),
                Math.round(c.bankedReceived + c.lastReceived - c.baselineReceived))));
        return all;
    }

    /** Rows of processes past {@link #MAX_PROCESSES}, left out. */
    public long rowsLeftOut() {
        return rowsLeftOut;
    }

    /** Whether any total came from rates (a text log of view mode 0, 4 or 5): an estimate. */
    public boolean estimate() {
        return estimated;
    }
}
