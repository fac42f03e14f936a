package io.podhogs.export.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.AttributionLatency;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.export.Levels;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.IdentityLookup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * podhogs_attributed_bytes_total by how the owner was known, and podhogs_attribution_latency_seconds
 * as a histogram's cumulative buckets, from what the engine's snapshot holds.
 */
class AttributionMetricsTest {
    private static final long MS = 1_000_000L;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MetricsExporter exporter = new MetricsExporter(registry, new MetricsOptions("node-1", List.of(), false, 0, 0));

    private static AccountSnapshot process(int pid, long sent, long received, long inferredSent, long inferredReceived) {
        Traffic t = new Traffic(sent, 1, received, 1);
        return new AccountSnapshot(new OwnerKey(new ProcessOwner(new ProcessInfo(pid, pid, 0, "/bin/app", "app", "app",
                CgroupIdentity.NONE))), Map.of(3, t), t, 0, 0, false, inferredSent, inferredReceived);
    }

    private void refresh(AttributionLatency.Histogram latency, AccountSnapshot... accounts) {
        Traffic unknown = new Traffic(900, 1, 0, 0);
        List<AccountSnapshot> all = new java.util.ArrayList<>(List.of(accounts));
        all.add(new AccountSnapshot(new OwnerKey(UnknownOwner.OTHER), Map.of(3, unknown), unknown, 0, 0, false, 0, 0));
        EngineSnapshot s = new EngineSnapshot(Instant.EPOCH, all, List.of(), Map.of(3, "veth1"), 0, 0,
                new ResolverStats(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, latency, 0), "any", Map.of());
        exporter.update(Levels.of(s, IdentityLookup.NONE, id -> id), IdentityLookup.NONE);
    }

    private double attributed(String how, String direction) {
        return registry.get("podhogs.attributed.bytes").tag("how", how).tag("direction", direction).functionCounter()
                .count();
    }

    private double gauge(String name, String le) {
        var search = registry.get(name).tag("node", "node-1");
        return (le == null ? search : search.tag("le", le)).gauge().value();
    }

    @Test
    void processBytesAreSplitIntoExactAndInferredAndUnknownStaysOut() {
        AttributionLatency latency = new AttributionLatency();
        refresh(latency.snapshot(), process(1, 1000, 400, 300, 0), process(2, 50, 60, 0, 60));
        assertEquals(List.of(750.0, 300.0, 400.0, 60.0), List.of(attributed("exact", "transmit"),
                attributed("inferred", "transmit"), attributed("exact", "receive"), attributed("inferred", "receive")));
        refresh(latency.snapshot(), process(1, 1500, 400, 300, 0), process(2, 50, 160, 0, 60));
        assertEquals(List.of(1250.0, 300.0, 500.0, 60.0), List.of(attributed("exact", "transmit"),
                attributed("inferred", "transmit"), attributed("exact", "receive"), attributed("inferred", "receive")));
    }

    @Test
    void theLatencyIsACumulativeHistogram() {
        long[] counts = new long[AttributionLatency.Histogram.boundsMillis().length + 1];
        counts[0] = 4;  // up to 1 ms
        counts[6] = 2;  // 50-100 ms
        counts[counts.length - 1] = 1; // over 30 s
        refresh(new AttributionLatency.Histogram(counts, 31_120 * MS));
        String bucket = "podhogs.attribution.latency.seconds.bucket";
        assertEquals(4.0, gauge(bucket, "0.001"));
        assertEquals(4.0, gauge(bucket, "0.05"));
        assertEquals(6.0, gauge(bucket, "0.1"));
        assertEquals(6.0, gauge(bucket, "30.0"));
        assertEquals(7.0, gauge(bucket, "+Inf"));
        assertEquals(7.0, gauge("podhogs.attribution.latency.seconds.count", null));
        assertEquals(31.12, gauge("podhogs.attribution.latency.seconds.sum", null), 1e-9);
    }
}
