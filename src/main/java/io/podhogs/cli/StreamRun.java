package io.podhogs.cli;

import io.podhogs.engine.EngineSnapshot;
import io.podhogs.export.DropReporter;
import io.podhogs.export.JsonWriter;
import io.podhogs.export.LiveSummary;
import io.podhogs.export.RowFormat;
import io.podhogs.export.SummaryWriter;
import io.podhogs.export.TraceWriter;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * A trace ({@code -t}) or JSON run: a block every refresh until {@code count} of them (0: until
 * stopped), then the run's summary ({@link LiveSummary}, vnStat's {@code -l}: on stderr in trace
 * mode, the last object on stdout in JSON); a run ended by Ctrl-C or SIGTERM writes it too, from a
 * shutdown hook, after the block being written and before no other.
 */
final class StreamRun {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final JsonWriter jsonWriter;
    private final TraceWriter traceWriter;
    private final LiveSummary seen = new LiveSummary(System.nanoTime());
    private final boolean summary;
    /** The run is over (its summary written, or none to write): no block after it. */
    private boolean summarised;

    /** @param summary whether the run ends with its summary (--no-summary leaves it out) */
    StreamRun(PrintStream out, PrintStream err, boolean json, JsonWriter jsonWriter, boolean summary) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.jsonWriter = jsonWriter;
        this.traceWriter = new TraceWriter(out);
        this.summary = summary;
    }

    void run(Supplier<EngineSnapshot> snapshots, RowFormat rows, Duration delay, int count) throws InterruptedException {
        Thread hook = new Thread(this::summarise, "podhogs-summary");
        Runtime.getRuntime().addShutdownHook(hook);
        DropReporter drops = new DropReporter(err);
        long next = System.nanoTime() + delay.toNanos();
        try {
            for (int shown = 0; count == 0 || shown < count; shown++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next += delay.toNanos();
                EngineSnapshot snapshot = snapshots.get();
                drops.check(snapshot);
                if (!write(snapshot, rows)) {
                    return; // the summary is out: the JVM is stopping
                }
            }
        } catch (RuntimeException e) {
            noSummary(); // a run that failed ends with its one line, not a summary of numbers it stopped counting
            throw e;
        }
        summarise();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // the JVM stops already; the hook finds the summary written
        }
    }

    /** One block, unless the summary was written already. */
    private synchronized boolean write(EngineSnapshot snapshot, RowFormat rows) {
        if (summarised) {
            return false;
        }
        List<io.podhogs.accounting.AccountSnapshot> written = json ? jsonWriter.write(snapshot, rows)
                : traceWriter.write(snapshot, rows);
        if (summary) {
            seen.add(System.nanoTime(), written, rows);
        }
        return true;
    }

    private synchronized void noSummary() {
        summarised = true;
    }

    private synchronized void summarise() {
        if (summarised) {
            return;
        }
        summarised = true;
        if (!summary) {
            return;
        }
        if (json) {
            SummaryWriter.json(out, seen, Instant.now());
        } else {
            SummaryWriter.text(err, seen);
        }
    }
}
