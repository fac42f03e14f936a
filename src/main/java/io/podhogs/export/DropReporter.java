package io.podhogs.export;

import io.podhogs.capture.CaptureStatus;
import io.podhogs.engine.EngineSnapshot;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Says on stderr when the kernel drops packets, when frames come that the parser cannot read fully
 * (cut by the snap length, malformed, or failed), and when a capture stops, so that the trace and
 * JSON on stdout stay clean and nothing is lost silently.
 */
public final class DropReporter {
    private final PrintStream err;
    private final Map<String, Long> reported = new HashMap<>();
    private final Map<String, RejectedFrames> rejected = new HashMap<>();
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
            rejects(c);
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

    private void rejects(CaptureStatus c) {
        RejectedFrames before = rejected.getOrDefault(c.name(), new RejectedFrames(0, 0, 0));
        if (c.truncated() > before.truncated()) {
            err.printf("podhogs: %d frames on %s were cut by the snap length before their ports (%d in all): counted"
                    + " without ports; raise --snaplen%n", c.truncated() - before.truncated(), c.name(), c.truncated());
        }
        if (c.malformed() > before.malformed()) {
            err.printf("podhogs: %d malformed frames on %s (%d in all): their headers contradict themselves or"
                    + " their length; counted with what could be read%n", c.malformed() - before.malformed(), c.name(),
                    c.malformed());
        }
        if (c.failed() > before.failed()) {
            err.printf("podhogs: %d frames on %s could not be counted (%d in all): %s%n", c.failed() - before.failed(),
                    c.name(), c.failed(), c.error());
        }
        rejected.put(c.name(), new RejectedFrames(c.truncated(), c.malformed(), c.failed()));
    }
}
