package io.podhogs.cli;

import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.EngineWatch;
import io.podhogs.export.DisplayUnits;
import io.podhogs.export.JsonWriter;
import io.podhogs.export.Level;
import io.podhogs.export.LiveSummary;
import io.podhogs.export.RowFormat;
import io.podhogs.export.SummaryWriter;
import io.podhogs.export.TopView;
import io.podhogs.export.UserNames;
import io.podhogs.identity.Identities;
import io.podhogs.names.RemoteNames;
import io.podhogs.node.NodeMonitor;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;

/**
 * What a run shows once its engine counts: the top view on a terminal, else the trace or JSON, with
 * the names of connections' remote ends beside them where they are shown; an engine that stops
 * counting ends it, status 1, in one line (numbers that no longer change are not shown).
 */
final class ViewRun {
    /**
     * @param remoteNames whether the rows show connections (the top view's Enter, --by connection),
     *     whose remote ends get names
     * @param reverseDns names by reverse DNS too (not with -n)
     */
    record Settings(boolean json, Duration delay, int count, boolean summary, DisplayUnits units, Level level,
                    boolean remoteNames, boolean reverseDns) {
    }

    private final PrintStream out;
    private final PrintStream err;
    private final UserNames users;
    private final Identities identities;

    ViewRun(PrintStream out, PrintStream err, UserNames users, Identities identities) {
        this.out = out;
        this.err = err;
        this.users = users;
        this.identities = identities;
    }

    /** Runs to the end; the exit status. {@code terminal}: the top view's, null for trace or JSON. */
    int run(NodeMonitor node, Terminal terminal, RowFormat rows, Settings s, Supplier<String> status)
            throws IOException, InterruptedException {
        EngineWatch watch = new EngineWatch(node.engine(), EngineWatch.MIN_STALL);
        Supplier<EngineSnapshot> counted = () -> {
            String trouble = watch.trouble(System.nanoTime());
            if (!trouble.isEmpty()) {
                throw new EngineStopped(trouble);
            }
            return node.engine().snapshot();
        };
        try (RemoteNames names = s.remoteNames() ? RemoteNames.start(s.reverseDns()) : RemoteNames.NONE) {
            if (terminal != null) {
                LiveSummary seen = new LiveSummary(System.nanoTime());
                try (Terminal t = terminal) {
                    new TopView(t, users, "podhogs " + Version.number(), rows, identities)
                            .withStatus(status).withUnits(s.units()).withNames(names)
                            .withConnections(node.engine()::wantConnections).withSummary(s.summary() ? seen : null)
                            .run(counted, s.delay(), s.count()); // drops in its header
                }
                if (s.summary()) {
                    SummaryWriter.text(out, seen); // on the normal screen, once the view has left
                }
                return Cli.EXIT_OK;
            }
            if (s.level() == Level.INTERFACE) {
                err.println("podhogs: --by interface: a byte that crossed two devices (a veth and its bridge) is in"
                        + " both rows; the rows do not add up to a total");
            }
            new StreamRun(out, err, s.json(), new JsonWriter(out, users, identities).withNames(names), s.summary())
                    .run(counted, rows, s.delay(), s.count());
            return Cli.EXIT_OK;
        } catch (EngineStopped e) {
            err.println("podhogs: internal error: " + e.getMessage() + "; the numbers would no longer change,"
                    + " so podhogs ends (please report it with the command line used)");
            return Cli.EXIT_INTERNAL;
        }
    }

    /** The engine counts no more (its thread ended, or it stalled): the run ends, status 1. */
    private static final class EngineStopped extends RuntimeException {
        EngineStopped(String why) {
            super(why, null, false, false);
        }
    }
}
