package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.attribution.FlowResolver.ResolverStats;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.engine.EngineSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kernel drops and dead captures are said on stderr once per change, never silently. */
class DropReporterTest {
    private static EngineSnapshot with(long drops, boolean running) {
        return new EngineSnapshot(Instant.EPOCH, List.of(),
                List.of(new CaptureStatus("any", 1000, 64000, 0, 0, 0, drops, 0, running, running ? "" : "device went away")),
                Map.of(), 0, 0, new ResolverStats(0, 0, 0, 0, 0, 0, 0, 1), "any", Map.of());
    }

    @Test
    void reportsEachIncreaseOfKernelDropsAndAStoppedCaptureOnce() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DropReporter reporter = new DropReporter(new PrintStream(err, true, StandardCharsets.UTF_8));
        reporter.check(with(0, true));
        reporter.check(with(120, true));
        reporter.check(with(120, true));
        reporter.check(with(150, false));
        reporter.check(with(150, false));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "podhogs: the kernel dropped 120 packets on any (120 in all): they are missing from every account;"
                        + " raise --buffer-size or narrow the capture with -f",
                "podhogs: the kernel dropped 30 packets on any (150 in all): they are missing from every account;"
                        + " raise --buffer-size or narrow the capture with -f",
                "podhogs: capture on any stopped: device went away"), lines);
    }
}
