package io.podhogs.cli;

import io.podhogs.history.HistoryException;
import io.podhogs.history.HistoryLevel;
import io.podhogs.history.HistoryOutput;
import io.podhogs.history.HistoryQuery;
import io.podhogs.history.HistoryRow;
import io.podhogs.history.Resolution;
import io.podhogs.report.ReportWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code podhogs history}: what a history file ({@code podhogs --history FILE}, the agent's
 * /var/lib/podhogs/history.db) recorded, as vnStat's tables, per program, container, pod,
 * workload or namespace. Reads while a monitor writes.
 */
@Command(name = "podhogs history", sortOptions = false,
        description = {
            "Traffic a history file recorded (podhogs --history FILE; the agent records into",
            "/var/lib/podhogs/history.db), per period and key, the period's top keys by bytes",
            "and an 'other' row, with a bar each; days and months end with the current one's",
            "estimate. It reads while a monitor writes.",
            ""},
        footer = {"", "Exit status: 0 done, 2 a file that cannot be read (the message says why and what to do)."})
final class HistoryCommand implements Callable<Integer> {
    static final String DEFAULT_FILE = "/var/lib/podhogs/history.db";

    @Option(names = "--file", paramLabel = "FILE", defaultValue = DEFAULT_FILE,
            description = "The history file. Default: ${DEFAULT-VALUE} (the agent's).")
    Path file;

    @Option(names = "--by", paramLabel = "LEVEL", defaultValue = "program",
            description = "program (path and user), container, pod, workload, namespace or app (the applications the"
                    + " recording monitor grouped by: its --apps file, else automatically). Default: ${DEFAULT-VALUE}.")
    String by;

    @ArgGroup(exclusive = true)
    HistoryPeriods periods = new HistoryPeriods();

    @Option(names = "--since", paramLabel = "TIME", converter = ReportCommand.Times.class,
            description = "Only periods that start at TIME or later (2026-12-05T10:00:00Z, or local 2026-12-05T10:00"
                    + " or 2026-12-05).")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = ReportCommand.Times.class,
            description = "Only periods that start before TIME, as --since.")
    Instant until;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "Keys shown per period, the rest summed in 'other'. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv (RFC 4180, a header row) or json (a line a row: start, end, the key fields of"
                    + " --json, sent_bytes, received_bytes, packets and remote_classes). Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    HistoryCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        ReportWriter.Format format;
        try {
            format = ReportWriter.Format.of(output);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        boolean byWorkload = by.equals("workload");
        HistoryLevel level = byWorkload ? HistoryLevel.POD : HistoryLevel.parse(by);
        if (level == null) {
            return usage("--by takes " + HistoryLevel.BY_CHOICES + ", not '" + by + "'");
        }
        if (top < 1) {
            return usage("--top must be 1 or more, not " + top);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            return usage("--since " + since + " is not before --until " + until);
        }
        Resolution resolution = periods.resolution();
        try (HistoryQuery query = HistoryQuery.open(file)) {
            List<HistoryRow> rows = query.rows(resolution, level, byWorkload, since, until, top);
            new HistoryOutput(out, format, resolution, level, byWorkload, query.zone()).write(rows, Instant.now());
            if (rows.size() >= HistoryQuery.MAX_ROWS) {
                err.println("podhogs history: the first " + HistoryQuery.MAX_ROWS + " rows only: narrow --since/--until");
            }
            return Cli.EXIT_OK;
        } catch (HistoryException e) {
            err.println("podhogs history: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
    }

    private int usage(String message) {
        return Cli.usageError(err, "podhogs history", message);
    }
}
