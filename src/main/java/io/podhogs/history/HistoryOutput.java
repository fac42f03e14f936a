package io.podhogs.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podhogs.accounting.Traffic;
import io.podhogs.report.ReportWriter;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints history rows: vnStat's tables (a period per block, its keys with a bar each, the current
 * period's estimate for days and months), CSV (RFC 4180, a header row) or JSON lines with
 * {@code start}, {@code end}, the key fields of {@code --json}, {@code sent_bytes} and
 * {@code received_bytes}.
 */
public final class HistoryOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BAR = 20;

    private final PrintStream out;
    private final ReportWriter.Format format;
    private final Resolution resolution;
    private final HistoryLevel level;
    private final boolean byWorkload;
    private final ZoneId zone;

    public HistoryOutput(PrintStream out, ReportWriter.Format format, Resolution resolution, HistoryLevel level,
                         boolean byWorkload, ZoneId zone) {
        this.out = out;
        this.format = format;
        this.resolution = resolution;
        this.level = level;
        this.byWorkload = byWorkload;
        this.zone = zone;
    }

    /** The key's columns at this level, as {@code --json} names them. */
    private List<String> columns() {
        if (byWorkload) {
            return List.of("namespace", "workload");
        }
        return switch (level) {
            case PROGRAM -> List.of("program", "user");
            case CONTAINER -> List.of("container", "image", "namespace", "pod");
            case POD -> List.of("namespace", "pod", "workload");
            case NAMESPACE -> List.of("namespace");
            case APP -> List.of("app");
        };
    }

    private String value(HistoryKey k, String column) {
        if (k.isBucket()) {
            return column.equals(columns().get(0)) ? k.name() : ""; // "other", "(no pod)": a name, no fields
        }
        return switch (column) {
            case "program", "container", "app" -> k.name();
            case "pod" -> level == HistoryLevel.POD ? k.name() : k.pod();
            case "user" -> k.user();
            case "image" -> k.image();
            case "namespace" -> level == HistoryLevel.NAMESPACE ? k.name() : k.namespace();
            case "workload" -> k.workload();
            default -> "";
        };
    }

    public void write(List<HistoryRow> rows, Instant now) {
        switch (format) {
            case TABLE -> table(rows, now);
            case CSV -> csv(rows);
            case JSON -> json(rows);
        }
        out.flush();
    }

    private String period(Instant start) {
        String pattern = switch (resolution) {
            case FIVE_MINUTES, HOURS -> "yyyy-MM-dd HH:mm";
            case DAYS -> "yyyy-MM-dd";
            case MONTHS -> "yyyy-MM";
            case YEARS -> "yyyy";
        };
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).format(start.atZone(zone));
    }

    private void table(List<HistoryRow> rows, Instant now) {
        if (rows.isEmpty()) {
            out.println("no traffic recorded in that range");
            return;
        }
        List<String> cols = columns();
        int[] widths = new int[cols.size()];
        long max = 1;
        for (int i = 0; i < cols.size(); i++) {
            widths[i] = cols.get(i).length();
        }
        for (HistoryRow r : rows) {
            for (int i = 0; i < cols.size(); i++) {
                widths[i] = Math.min(48, Math.max(widths[i], value(r.key(), cols.get(i)).length()));
            }
            max = Math.max(max, r.total());
        }
        int periodWidth = Math.max(resolution.label().length(), period(rows.get(0).start()).length());
        StringBuilder head = new StringBuilder(pad(resolution.label(), periodWidth));
        for (int i = 0; i < cols.size(); i++) {
            head.append("  ").append(pad(cols.get(i), widths[i]));
        }
        head.append(String.format(Locale.ROOT, "  %11s  %11s  %11s", "received", "sent", "total"));
        out.println(head);
        Instant current = null;
        long periodTotal = 0;
        for (HistoryRow r : rows) {
            if (current != null && !r.start().equals(current)) {
                estimate(current, periodTotal, now);
                periodTotal = 0;
            }
            boolean first = !r.start().equals(current);
            current = r.start();
            periodTotal += r.total();
            StringBuilder b = new StringBuilder(pad(first ? period(r.start()) : "", periodWidth));
            for (int i = 0; i < cols.size(); i++) {
                b.append("  ").append(pad(cut(value(r.key(), cols.get(i)), widths[i]), widths[i]));
            }
            b.append(String.format(Locale.ROOT, "  %11s  %11s  %11s  %s", bytes(r.traffic().receivedBytes()),
                    bytes(r.traffic().sentBytes()), bytes(r.total()), "#".repeat((int) Math.round(BAR * (double) r.total() / max))));
            out.println(b.toString().stripTrailing());
        }
        estimate(current, periodTotal, now);
    }

    /** vnStat's "estimated": the current day's or month's total at its pace so far. */
    private void estimate(Instant start, long total, Instant now) {
        if (resolution != Resolution.DAYS && resolution != Resolution.MONTHS) {
            return;
        }
        Instant end = resolution.end(start, zone);
        if (now.isBefore(start) || !now.isBefore(end)) {
            return;
        }
        double elapsed = Duration.between(start, now).toMillis();
        double length = Duration.between(start, end).toMillis();
        if (elapsed < 60_000) {
            return; // a minute in: no pace to speak of
        }
        out.println("  estimated for the whole " + (resolution == Resolution.DAYS ? "day" : "month") + ": "
                + bytes(Math.round(total * length / elapsed)) + " (" + bytes(total) + " so far)");
    }

    private void csv(List<HistoryRow> rows) {
        List<String> head = new ArrayList<>(List.of("start", "end"));
        head.addAll(columns());
        head.addAll(List.of("sent_bytes", "received_bytes"));
        out.print(String.join(",", head) + "\r\n");
        for (HistoryRow r : rows) {
            StringBuilder b = new StringBuilder().append(r.start()).append(',').append(r.end());
            for (String c : columns()) {
                b.append(',').append(ReportWriter.csvField(value(r.key(), c)));
            }
            b.append(',').append(r.traffic().sentBytes()).append(',').append(r.traffic().receivedBytes());
            out.print(b + "\r\n");
        }
    }

    private void json(List<HistoryRow> rows) {
        for (HistoryRow r : rows) {
            try {
                out.println(JSON.writeValueAsString(fields(r)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e); // a map of strings and numbers always writes
            }
        }
    }

    /** A row's JSON fields: start, end, the key's fields, bytes, packets and remote classes (the agent's API too). */
    public Map<String, Object> fields(HistoryRow r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("start", r.start().toString());
        o.put("end", r.end().toString());
        for (String c : columns()) {
            o.put(c, value(r.key(), c));
        }
        o.put("sent_bytes", r.traffic().sentBytes());
        o.put("received_bytes", r.traffic().receivedBytes());
        o.put("sent_packets", r.traffic().sentPackets());
        o.put("received_packets", r.traffic().receivedPackets());
        Map<String, Object> classes = new LinkedHashMap<>();
        for (Map.Entry<String, Traffic> e : r.byRemoteClass().entrySet()) {
            if (!e.getKey().isEmpty()) {
                classes.put(e.getKey(), Map.of("sent_bytes", e.getValue().sentBytes(), "received_bytes",
                        e.getValue().receivedBytes()));
            }
        }
        o.put("remote_classes", classes);
        return o;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    /** IEC units, as vnStat shows them. */
    static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
