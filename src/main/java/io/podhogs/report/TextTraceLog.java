package io.podhogs.report;

import java.util.Arrays;
import java.util.List;

/**
 * The text trace format nethogs prints with {@code -t} (every view mode) and podhogs prints with
 * {@code -t}: "Refreshing:" blocks of {@code program/pid/uid<TAB>sent<TAB>received} rows. podhogs's
 * rows of pods and namespaces add {@code class=SENT/RECEIVED} fields after them, which a report
 * does not need. Fields are read from the right, so a program whose name holds spaces, tabs or
 * slashes ({@code unknown TCP/0/0}, {@code unknown TCP [net:4026532301]/0/0}) keeps its whole name.
 */
final class TextTraceLog implements TraceFormat {
    /**
     * Lines nethogs prints as it starts, before its first block. After the first block, one of them
     * means the monitor was started again into the same file.
     */
    private static final List<String> STARTUP = List.of("Adding local address:", "Ethernet link detected",
            "Waiting for first packet to arrive", "Unknown link type");
    /**
     * podhogs's own messages, when its stderr went to the same file: said at any time (a warning of
     * dropped frames), so they end a block but say nothing of a restart.
     */
    private static final String PODHOGS_MESSAGE = "podhogs:";

    private final String file;
    private final LogEvents events;
    private boolean inBlock;
    private boolean startedSinceBlock;

    TextTraceLog(String file, LogEvents events) {
        this.file = file;
        this.events = events;
    }

    @Override
    public boolean line(String line, int number, boolean last) {
        if (line.equals("Refreshing:")) {
            if (startedSinceBlock) { // nethogs printed its start again: a new run
                events.monitorStarted();
            }
            inBlock = true;
            startedSinceBlock = false;
            return true;
        }
        for (String prefix : STARTUP) {
            if (line.startsWith(prefix)) {
                inBlock = false;
                startedSinceBlock = true;
                return true;
            }
        }
        if (line.startsWith(PODHOGS_MESSAGE)) {
            return true;
        }
        LogRow row = inBlock ? row(line) : null;
        if (row == null) {
            if (last) {
                return false;
            }
            throw new ReportException(file + ":" + number + ": not a trace log line"
                    + (inBlock ? " (a row is program/pid/uid, a tab, sent, a tab, received)" : " (no 'Refreshing:' before it)")
                    + ": " + shorten(line));
        }
        events.row(row);
        return true;
    }

    /** The row a line holds, or null if it holds none. */
    static LogRow row(String line) {
        String[] fields = line.split("\t", -1);
        // The two numbers are the first pair of numeric fields after which only class=S/R fields follow.
        int sent = -1;
        for (int i = fields.length - 2; i >= 1; i--) {
            if (number(fields[i]) && number(fields[i + 1]) && classesOnly(fields, i + 2)) {
                sent = i;
                break;
            }
        }
        if (sent < 0) {
            return null;
        }
        String who = String.join("\t", Arrays.asList(fields).subList(0, sent));
        int uidAt = who.lastIndexOf('/');
        int pidAt = uidAt > 0 ? who.lastIndexOf('/', uidAt - 1) : -1;
        if (pidAt < 0) {
            return null;
        }
        try {
            long pid = Long.parseLong(who.substring(pidAt + 1, uidAt));
            long uid = Long.parseLong(who.substring(uidAt + 1));
            return new LogRow(who.substring(0, pidAt), pid, uid, "", "", Double.parseDouble(fields[sent]),
                    Double.parseDouble(fields[sent + 1]), null, false);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean classesOnly(String[] fields, int from) {
        for (int i = from; i < fields.length; i++) {
            int eq = fields[i].indexOf('=');
            int slash = fields[i].indexOf('/', eq + 1);
            if (eq <= 0 || slash < 0 || !number(fields[i].substring(eq + 1, slash)) || !number(fields[i].substring(slash + 1))) {
                return false;
            }
        }
        return true;
    }

    /** A number as nethogs (C++ streams: 1.5, 1.23457e+06) or podhogs (1536.000) prints it. */
    private static boolean number(String s) {
        if (s.isEmpty() || s.length() > 40) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                return false;
            }
        }
        try {
            double d = Double.parseDouble(s);
            return d >= 0 && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String shorten(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
