package io.podhogs.export;

import io.podhogs.capture.CaptureStatus;
import io.podhogs.engine.EngineSnapshot;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Says on stderr when the kernel drops packets or a capture stops, so that the trace and JSON on
 * stdout stay clean and nothing is lost silently.
 */
public final class DropReporter {
    private final PrintStream err;
    private final Map<String, Long> reported = new HashMap<>();
    private final Map<String, Boolean> stopped = new HashMap<>();
    private long untrackedReported;
    private long skippedReported;

    public DropReporter(PrintStream err) {
        this.err = err;
    }

    public void check(EngineSnapshot snapshot) {
        for (CaptureStatus c : snapshot.captures()) {
            long before = reported.getOrDefault(c.name(), 0L);
            if (c.kernelDrops() > before) {
                err.printf("podhogs: the kernel dropped %d packets on %s (%d in all): they are missing from every"
                        + " account; raise --buffer-size or narrow the capture with -f%n",
                        c.kernelDrops() - before, c.name(), c.kernelDrops());
                reported.put(c.name(), c.kernelDrops());
            }
            if (!c.running() && stopped.put(c.name(), true) == null) {
                err.printf("podhogs: capture on %s stopped: %s%n", c.name(), c.error());
            }
        }
        if (snapshot.overflowPackets() > untrackedReported) {
            err.printf("podhogs: %d packets of flows beyond the flow table's bound (%d flows) were counted as"
                    + " untracked (%d in all); raise --max-flows or narrow the capture with -f%n",
                    snapshot.overflowPackets() - untrackedReported, snapshot.maxFlows(), snapshot.overflowPackets());
            untrackedReported = snapshot.overflowPackets();
        }
        long skipped = snapshot.resolver().lookupsSkipped();
        if (skipped > skippedReported) {
            err.printf("podhogs: %d new flows were counted as unknown without a lookup: more were waiting for one than"
                    + " podhogs keeps (%d in all)%n", skipped - skippedReported, skipped);
            skippedReported = skipped;
        }
    }
}
