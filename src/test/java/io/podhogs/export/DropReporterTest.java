package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.attribution.ResolverStats;
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

    private static EngineSnapshot rejecting(long truncated, long malformed, long failed) {
        return new EngineSnapshot(Instant.EPOCH, List.of(),
                List.of(new CaptureStatus("any", 1000, 64000, truncated, malformed, failed, 0, 0, true,
                        failed > 0 ? "a frame could not be counted: java.lang.IllegalStateException: x" : "")),
                Map.of(), 0, 0, new ResolverStats(0, 0, 0, 0, 0, 0, 0, 1), "any", Map.of());
    }

    @Test
    void reportsEachIncreaseOfRejectedFramesByWhy() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DropReporter reporter = new DropReporter(new PrintStream(err, true, StandardCharsets.UTF_8));
        reporter.check(rejecting(0, 0, 0));
        reporter.check(rejecting(12, 0, 0));
        reporter.check(rejecting(12, 0, 0));
        reporter.check(rejecting(40, 3, 1));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "podhogs: 12 frames on any were cut by the snap length before their ports (12 in all): counted without"
                        + " ports; raise --snaplen",
                "podhogs: 28 frames on any were cut by the snap length before their ports (40 in all): counted without"
                        + " ports; raise --snaplen",
                "podhogs: 3 malformed frames on any (3 in all): their headers contradict themselves or their length;"
                        + " counted with what could be read",
                "podhogs: 1 frames on any could not be counted (1 in all): a frame could not be counted:"
                        + " java.lang.IllegalStateException: x"), lines);
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
