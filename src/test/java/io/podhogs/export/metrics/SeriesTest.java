package io.podhogs.export.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Counters fed by contributors: they add up, keep what a gone contributor gave, and never go down. */
class SeriesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Series series = new Series(registry);

    private void refresh(Runnable feeds) {
        series.beginRefresh();
        feeds.run();
        series.endRefresh();
    }

    private double value() {
        return registry.get("podhogs.pod.network.transmit.bytes").tag("pod", "db-0").functionCounter().count();
    }

    private void feed(Object contributor, double total) {
        series.counter("podhogs.pod.network.transmit.bytes", "test", contributor, total, "pod", "db-0");
    }

    @Test
    void contributorsAddUpAndAGoneOneKeepsWhatItGave() {
        refresh(() -> feed("uid-1", 1000));
        assertEquals(1000, value());
        // The pod is deleted and made again under its name: for a while both are there.
        refresh(() -> {
            feed("uid-1", 1500);
            feed("uid-2", 200);
        });
        assertEquals(1700, value(), "two pods of one name add up");
        refresh(() -> feed("uid-2", 300));
        assertEquals(1800, value(), "the old pod's bytes stay when it goes");
        refresh(() -> feed("uid-2", 250));
        assertEquals(1800, value(), "a total that shrinks takes nothing back");
        refresh(() -> feed("uid-2", 400));
        assertEquals(1950, value(), "and what grows from there counts");
    }

    @Test
    void aSeriesNotNamedAgainIsRemovedAndClearRemovesAll() {
        refresh(() -> feed("uid-1", 10));
        refresh(() -> { });
        assertNull(registry.find("podhogs.pod.network.transmit.bytes").functionCounter(), "removed");
        refresh(() -> feed("uid-1", 10));
        series.clear();
        assertNull(registry.find("podhogs.pod.network.transmit.bytes").functionCounter(), "cleared");
        assertEquals(0, series.size());
    }

    @Test
    void aScrapeDuringARefreshSeesTheLastRefreshsSeriesNeverBothSets() {
        refresh(() -> {
            series.counter("podhogs.process.network.transmit.bytes", "test", "p1", 10, "pid", "1");
            series.counter("podhogs.process.network.transmit.bytes", "test", "p2", 20, "pid", "2");
        });
        series.beginRefresh();
        // A cap of two: pid 3 replaces pid 1 this refresh. A scrape now (between the calls) ...
        series.counter("podhogs.process.network.transmit.bytes", "test", "p3", 30, "pid", "3");
        series.counter("podhogs.process.network.transmit.bytes", "test", "p2", 25, "pid", "2");
        assertEquals(java.util.Set.of("1", "2"), pids(), "... sees the last refresh's two, not three");
        series.endRefresh();
        assertEquals(java.util.Set.of("2", "3"), pids());
        assertEquals(30, registry.get("podhogs.process.network.transmit.bytes").tag("pid", "3").functionCounter().count());
        assertEquals(25, registry.get("podhogs.process.network.transmit.bytes").tag("pid", "2").functionCounter().count());
    }

    private java.util.Set<String> pids() {
        return registry.find("podhogs.process.network.transmit.bytes").functionCounters().stream()
                .map(c -> c.getId().getTag("pid")).collect(java.util.stream.Collectors.toSet());
    }
}
