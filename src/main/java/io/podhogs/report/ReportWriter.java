package io.podhogs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report's rows as a table (aligned columns and a total), CSV (RFC 4180, a header row) or JSON
 * lines with {@code --json}'s field names. Bytes are whole numbers; {@code estimate} says the log held
 * rates, integrated over its refresh interval.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code -o}: the output format. */
    public enum Format {
        TABLE, CSV, JSON;

        public static Format of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-o takes table, csv or json, not '" + name + "'");
            }
        }
    }

    private final PrintStream out;
    private final Format format;
    private final ReportLevel level;

    public ReportWriter(PrintStream out, Format format, ReportLevel level) {
        this.out = out;
        this.format = format;
        this.level = level;
    }

    public void write(List<ReportRow> rows, boolean estimate) {
        switch (format) {
            case TABLE -> table(rows, estimate);
            case CSV -> csv(rows, estimate);
            case JSON -> json(rows, estimate);
        }
        out.flush();
    }

    private List<String> columns() {
        return switch (level) {
            case PROGRAM -> List.of("program", "processes");
            case PID -> List.of("program", "pid", "uid", "user");
            case USER -> List.of("uid", "user", "processes");
        };
    }

    private static Object value(ReportRow r, String column) {
        return switch (column) {
            case "program" -> r.program();
            case "pid" -> r.pid();
            case "uid" -> r.uid();
            case "user" -> r.user();
            case "processes" -> r.processes();
            default -> throw new IllegalArgumentException(column);
        };
    }

    private void table(List<ReportRow> rows, boolean estimate) {
        List<String> columns = new ArrayList<>(columns());
        columns.add("sent_bytes");
        columns.add("received_bytes");
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(c -> c.toUpperCase(Locale.ROOT).replace("_BYTES", "")).toList());
        long sent = 0;
        long received = 0;
        for (ReportRow r : rows) {
            List<String> line = new ArrayList<>();
            for (String c : columns()) {
                line.add(String.valueOf(value(r, c)));
            }
            line.add(Long.toString(r.sentBytes()));
            line.add(Long.toString(r.receivedBytes()));
            cells.add(line);
            sent += r.sentBytes();
            received += r.receivedBytes();
        }
        List<String> total = new ArrayList<>();
        for (int i = 0; i < columns().size(); i++) {
            total.add(i == 0 ? "total" : "");
        }
        total.add(Long.toString(sent));
        total.add(Long.toString(received));
        cells.add(total);
        int[] widths = new int[columns.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        int numbers = columns.size() - 2;
        for (List<String> line : cells) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i).replaceAll("\\p{Cntrl}", "?");
                boolean right = i >= numbers || cell.matches("-?\\d+");
                String pad = " ".repeat(widths[i] - line.get(i).length());
                b.append(i > 0 ? "  " : "").append(right ? pad + cell : cell + (i < line.size() - 1 ? pad : ""));
            }
            out.println(b);
        }
        if (estimate) {
            out.println("(an estimate: the log holds rates, integrated over its refresh interval)");
        }
    }

    private void csv(List<ReportRow> rows, boolean estimate) {
        List<String> header = new ArrayList<>(columns());
        header.addAll(List.of("sent_bytes", "received_bytes", "estimate"));
        out.print(String.join(",", header) + "\r\n");
        for (ReportRow r : rows) {
            StringBuilder b = new StringBuilder();
            for (String c : columns()) {
                b.append(csvField(String.valueOf(value(r, c)))).append(',');
            }
            b.append(r.sentBytes()).append(',').append(r.receivedBytes()).append(',').append(estimate);
            out.print(b + "\r\n");
        }
    }

    public static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private void json(List<ReportRow> rows, boolean estimate) {
        for (ReportRow r : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (String c : columns()) {
                o.put(c, value(r, c));
            }
            o.put("sent_bytes", r.sentBytes());
            o.put("received_bytes", r.receivedBytes());
            o.put("estimate", estimate);
            try {
                out.println(JSON.writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e); // a map of strings and numbers always writes
            }
        }
    }
}
