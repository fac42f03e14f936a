package io.podhogs.cli;

import io.podhogs.export.ViewMode;
import io.podhogs.report.LogEvents;
import io.podhogs.report.LogRow;
import io.podhogs.report.ReportException;
import io.podhogs.report.ReportLevel;
import io.podhogs.report.ReportWriter;
import io.podhogs.report.TraceLogs;
import io.podhogs.report.Totals;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code podhogs report}: totals per program, process or user from trace logs, nethogs's and
 * podhogs's, as nethogs-parser makes them, but right where a naive sum of blocks is wrong.
 */
@Command(name = "podhogs report", sortOptions = false,
        description = {
            "Totals per program from trace logs: nethogs -t (any -v), podhogs -t, podhogs",
            "--json. Cumulative logs (-v 1, 2, 3; --json) count each process's last value;",
            "rate logs (-v 0, 4, 5) sum rate x --interval, an estimate. Counters that go",
            "back to zero (the monitor restarted, a pid used again) add a run instead of",
            "losing one. Give a log's rotated parts oldest first.",
            ""},
        footer = {"", "Exit status: 0 done, 2 a log that cannot be read (the message names the file",
            "and line), 1 a log of over a million processes (the rest left out, and said)."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LOG", arity = "1..*", description = "Trace logs, read in this order.")
    List<Path> logs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv (RFC 4180, a header row) or json (a line a row, --json's field names), as"
                    + " kubectl's -o. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--by", paramLabel = "LEVEL", defaultValue = "program",
            description = "program, pid (program/pid/uid, as the log names them) or user. Default: ${DEFAULT-VALUE}.")
    String by;

    @Option(names = "-v", paramLabel = "MODE", defaultValue = "0",
            description = "The view mode the text log was written with (nethogs's and podhogs's -v: 0 KB/s, 1 KB,"
                    + " 2 B, 3 MB, 4 MB/s, 5 GB/s); a text log does not say. --json logs are bytes. Default: ${DEFAULT-VALUE}.")
    int viewMode;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1", converter = Converters.Seconds.class,
            description = "The refresh interval the rate log was written with (its -d). Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--since", paramLabel = "TIME", converter = Times.class,
            description = "Only what was counted after TIME (2026-12-05T10:00:00Z, or local 2026-12-05T10:00 or"
                    + " 2026-12-05); --json logs only, text logs have no times.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Times.class,
            description = "Only what was counted until TIME, as --since.")
    Instant until;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    ReportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        ViewMode mode;
        ReportLevel level;
        ReportWriter.Format format;
        try {
            mode = ViewMode.of(viewMode);
            level = ReportLevel.of(by);
            format = ReportWriter.Format.of(output);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (since != null && until != null && since.isAfter(until)) {
            return usage("--since " + since + " is after --until " + until);
        }
        double bytesPerUnit = mode.bytesPerUnit() * (mode.rate() ? interval.toNanos() / 1e9 : 1);
        Totals totals = new Totals(mode.rate(), bytesPerUnit, since, until);
        TraceLogs.Read read;
        try {
            read = TraceLogs.read(logs, new TimedOnly(totals, since != null || until != null));
        } catch (ReportException e) {
            err.println("podhogs report: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
        new ReportWriter(out, format, level).write(level.rows(totals.totals()), totals.estimate());
        if (read.truncatedLines() > 0) {
            err.println("podhogs report: left out " + read.truncatedLines() + " last line(s) cut short (a monitor"
                    + " stopped while writing)");
        }
        if (totals.rowsLeftOut() > 0) {
            err.println("podhogs report: left out " + totals.rowsLeftOut() + " rows of processes past the first "
                    + Totals.MAX_PROCESSES);
            return Cli.EXIT_INTERNAL;
        }
        return Cli.EXIT_OK;
    }

    private int usage(String message) {
        return Cli.usageError(err, "podhogs report", message);
    }

    /** Time ranges need times: a text log's row refuses them, naming the log, rather than ignoring them. */
    private record TimedOnly(Totals totals, boolean ranged) implements LogEvents {
        @Override
        public void monitorStarted() {
            totals.monitorStarted();
        }

        @Override
        public void row(LogRow row) {
            if (ranged && row.time() == null) {
                throw new ReportException("--since and --until need times, which only podhogs --json logs have"
                        + " (a text trace log has none)");
            }
            totals.row(row);
        }
    }

    /** An instant, or a local date-time or date in this machine's zone. */
    static final class Times implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                // not an instant: a local time, then
            }
            try {
                return LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                // nor a local date-time
            }
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("not a time: '" + value + "' (2026-12-05T10:00:00Z, 2026-12-05T10:00"
                        + " or 2026-12-05)");
            }
        }
    }
}
