package io.podhogs.export;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * The summary a run ends with ({@link LiveSummary}): in trace mode a table on stderr, each line a note
 * of podhogs's ({@code podhogs: }), so that stdout stays nethogs's trace format line for line for its
 * parsers; in JSON one last object of {@code "kind":"summary"} on stdout; after the top view, the
 * same table on the terminal's own screen once the view has left it.
 */
public final class SummaryWriter {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private SummaryWriter() {
    }

    public static void text(PrintStream out, LiveSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "podhogs: summary of %.1f s, %d refreshes%s:%n", s.seconds(), s.refreshes(),
                s.left() > 0 ? ", " + s.left() + " rows beyond the summary's bound left out" : ""));
        String row = "podhogs: %11s %11s %12s %12s %12s %12s %12s %12s %9s %9s %8s %8s  %s%n";
        b.append(String.format(Locale.ROOT, row, "SENT", "RECEIVED", "TX MAX", "TX AVG", "TX MIN", "RX MAX", "RX AVG",
                "RX MIN", "PKTS TX", "PKTS RX", "TX PKT/S", "RX PKT/S", "PROGRAM/PID/UID"));
        double seconds = Math.max(1e-9, s.seconds());
        for (LiveSummary.Row r : s.rows()) {
            b.append(String.format(Locale.ROOT, row, bytes(r.total().sentBytes()), bytes(r.total().receivedBytes()),
                    rate(r.sent().max()), rate(r.sent().average()), rate(r.sent().min()), rate(r.received().max()),
                    rate(r.received().average()), rate(r.received().min()), r.total().sentPackets(),
                    r.total().receivedPackets(), number(r.total().sentPackets() / seconds),
                    number(r.total().receivedPackets() / seconds), r.name() + "/" + r.pid() + "/" + r.uid()));
        }
        out.print(b);
        out.flush();
    }

    public static void json(PrintStream out, LiveSummary s, Instant now) {
        StringBuilder b = new StringBuilder("{\"time\":");
        Json.string(b, now.toString());
        b.append(",\"kind\":\"summary\",\"duration_seconds\":").append(String.format(Locale.ROOT, "%.3f", s.seconds()))
                .append(",\"refreshes\":").append(s.refreshes()).append(",\"rows_left_out\":").append(s.left())
                .append(",\"rows\":[");
        boolean first = true;
        for (LiveSummary.Row r : s.rows()) {
            b.append(first ? "" : ",").append("{\"kind\":");
            first = false;
            Json.string(b, r.kind());
            b.append(",\"pid\":").append(r.pid()).append(",\"uid\":").append(r.uid()).append(",\"program\":");
            Json.string(b, r.program());
            b.append(",\"sent_bytes\":").append(r.total().sentBytes())
                    .append(",\"received_bytes\":").append(r.total().receivedBytes())
                    .append(",\"sent_packets\":").append(r.total().sentPackets())
                    .append(",\"received_packets\":").append(r.total().receivedPackets());
            rates(b, "sent_bytes_per_second", r.sent());
            rates(b, "received_bytes_per_second", r.received());
            double seconds = Math.max(1e-9, s.seconds());
            b.append(",\"packets_per_second\":{\"sent\":").append(number(r.total().sentPackets() / seconds))
                    .append(",\"received\":").append(number(r.total().receivedPackets() / seconds)).append("}}");
        }
        b.append("]}\n");
        out.print(b);
        out.flush();
    }

    private static void rates(StringBuilder b, String name, LiveSummary.Rates r) {
        b.append(",\"").append(name).append("\":{\"max\":").append(number(r.max())).append(",\"average\":")
                .append(number(r.average())).append(",\"min\":").append(number(r.min())).append('}');
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String bytes(double v) {
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.2f %s", v, UNITS[u]);
    }

    static String rate(double v) {
        return bytes(v) + "/s";
    }
}
