package io.podhogs.export.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.export.Levels;
import io.podhogs.identity.IdentityLookup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** podhogs_capture_rejected_frames_total: per capture and reason, as the captures count them. */
class RejectedFramesMetricTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MetricsExporter exporter = new MetricsExporter(registry, new MetricsOptions("node-1", List.of(), false, 0, 0));

    private void refresh(long truncated, long malformed, long failed) {
        EngineSnapshot s = new EngineSnapshot(Instant.EPOCH, List.of(),
                List.of(new CaptureStatus("any", 100, 6400, truncated, malformed, failed, 0, 0, true, "")), Map.of(), 0,
                0, new ResolverStats(0, 0, 0, 0, 0, 0, 0, 1), "any", Map.of());
        exporter.update(Levels.of(s, IdentityLookup.NONE, id -> id), IdentityLookup.NONE);
    }

    private double value(String reason) {
        return registry.get("podhogs.capture.rejected.frames").tag("capture", "any").tag("reason", reason)
                .tag("node", "node-1").functionCounter().count();
    }

    @Test
    void eachReasonCountsWhatTheCaptureCounted() {
        refresh(0, 0, 0);
        assertEquals(List.of(0.0, 0.0, 0.0), List.of(value("truncated"), value("malformed"), value("failed")));
        refresh(12, 3, 1);
        assertEquals(List.of(12.0, 3.0, 1.0), List.of(value("truncated"), value("malformed"), value("failed")));
    }
}
