package io.podhogs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a report's rows sum: {@code --by program} (the default), {@code pid} or {@code user}. */
public enum ReportLevel {
    PROGRAM, PID, USER;

    public static ReportLevel of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--by takes program, pid or user, not '" + name + "'");
        }
    }

    /** The rows, the most bytes (sent and received) first. */
    public List<ReportRow> rows(List<Totals.Total> totals) {
        Map<List<Object>, ReportRow> rows = new LinkedHashMap<>();
        for (Totals.Total t : totals) {
            List<Object> key = switch (this) {
                case PROGRAM -> List.of(t.program());
                case PID -> List.of(t.program(), t.pid(), t.uid(), t.user());
                case USER -> List.of(t.uid(), t.user());
            };
            ReportRow row = switch (this) {
                case PROGRAM -> new ReportRow(t.program(), -1, -1, "", t.sentBytes(), t.receivedBytes(), 1);
                case PID -> new ReportRow(t.program(), t.pid(), t.uid(), t.user(), t.sentBytes(), t.receivedBytes(), 1);
                case USER -> new ReportRow("", -1, t.uid(), t.user(), t.sentBytes(), t.receivedBytes(), 1);
            };
            rows.merge(key, row, (a, b) -> new ReportRow(a.program(), a.pid(), a.uid(), a.user(),
                    a.sentBytes() + b.sentBytes(), a.receivedBytes() + b.receivedBytes(), a.processes() + b.processes()));
        }
        List<ReportRow> sorted = new ArrayList<>(rows.values());
        sorted.sort(Comparator.comparingLong((ReportRow r) -> -(r.sentBytes() + r.receivedBytes()))
                .thenComparing(ReportRow::program).thenComparingLong(ReportRow::pid).thenComparingLong(ReportRow::uid));
        return sorted;
    }
}
