package io.podhogs.cli;

import io.podhogs.apps.Applications;
import io.podhogs.export.UserNames;
import io.podhogs.history.HistoryException;
import io.podhogs.history.HistoryRecorder;
import io.podhogs.history.HistorySettings;
import io.podhogs.identity.Identities;
import io.podhogs.node.NodeMonitor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Option;

/** --history and its settings (a picocli mixin), and the recorder they start beside the engine. */
final class HistoryOptions {
    @Option(names = "--history", paramLabel = "FILE", description = "Record what is counted into FILE (SQLite,"
            + " made if new), by program, container, pod, namespace and application, in 5-minute, hourly, daily, monthly and"
            + " yearly totals that survive restarts; podhogs history FILE reads it. One podhogs writes a file at a time.")
    Path file;

    @Option(names = "--history-flush", paramLabel = "SECONDS", defaultValue = "30", converter = Converters.Seconds.class,
            description = "How often --history writes (one transaction; a crash loses at most this). Default: ${DEFAULT-VALUE}.")
    Duration flush;

    @Option(names = "--history-keep", paramLabel = "RES=SPAN", split = ",", description = "How long --history keeps a"
            + " resolution's rows: 5min, hours, days, months or years = a span in s, m, h or d (0: for ever), e.g."
            + " --history-keep days=365d,5min=24h. Default: vnStat's, 5min=48h,hours=4d,days=62d,months=775d,years=0.")
    List<String> keep = new ArrayList<>();

    /** The settings asked for; an IllegalArgumentException says which is wrong. */
    HistorySettings settings() {
        return HistorySettings.withFlush(flush).keeping(keep);
    }

    boolean wanted() {
        return file != null;
    }

    /**
     * Starts recording into {@link #file} what the node's engine counts, and makes sure that the
     * engine's last bytes and the recorder's last flush reach the file however the run ends: the
     * returned stop is run at the end of the run and, for Ctrl-C and SIGTERM (which end the JVM
     * without it), by a shutdown hook, whichever comes first.
     */
    Stop start(NodeMonitor node, HistorySettings settings, Identities identities, UserNames users,
               Applications applications) throws HistoryException {
        HistoryRecorder recorder = HistoryRecorder.start(file, settings, identities, identities::name, users::name,
                () -> applications, false, Clock.systemUTC());
        node.engine().recordHistory(recorder);
        Stop stop = new Stop(node, recorder);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::run, "podhogs-history-stop"));
        return stop;
    }

    /** Stops the engine, then the recorder (the engine's last drain goes into its last flush): once. */
    static final class Stop implements Runnable {
        private final AtomicBoolean done = new AtomicBoolean();
        private final NodeMonitor node;
        private final HistoryRecorder recorder;

        Stop(NodeMonitor node, HistoryRecorder recorder) {
            this.node = node;
            this.recorder = recorder;
        }

        @Override
        public synchronized void run() {
            if (done.compareAndSet(false, true)) {
                try {
                    node.close();
                } finally {
                    recorder.close();
                }
            }
        }
    }
}
