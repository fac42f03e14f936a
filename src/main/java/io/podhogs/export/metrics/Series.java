package io.podhogs.export.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The series the exporter keeps in the registry, by name and labels: each refresh says which exist
 * and their values; series not said again are removed (a pod retired after its grace, a process
 * series beyond the cap). Counters only ever go up, even if an account is summed differently
 * from one refresh to the next. One thread (the agent's refresher) calls it.
 */
final class Series {
    private final MeterRegistry registry;
    private final Map<Key, Holder> held = new HashMap<>();
    private long generation;

    private record Key(String name, List<String> tags) {
    }

    /** What a registered meter reads; written by the refresher, read by the scrape. */
    private static final class Holder {
        volatile double value;
        Meter meter;
        long generation;
    }

    Series(MeterRegistry registry) {
        this.registry = registry;
    }

    void beginRefresh() {
        generation++;
    }

    /**
     * A counter's value now.
     *
     * @param tags label name, value, name, value ...
     */
    void counter(String name, String help, double value, String... tags) {
        Holder h = holder(name, tags);
        if (h.meter == null) {
            h.meter = FunctionCounter.builder(name, h, x -> x.value).description(help).tags(Tags.of(tags))
                    .register(registry);
        }
        h.value = Math.max(h.value, value);
    }

    /** A gauge's value now. */
    void gauge(String name, String help, double value, String... tags) {
        Holder h = holder(name, tags);
        if (h.meter == null) {
            h.meter = Gauge.builder(name, h, x -> x.value).description(help).tags(Tags.of(tags)).register(registry);
        }
        h.value = value;
    }

    private Holder holder(String name, String[] tags) {
        Holder h = held.computeIfAbsent(new Key(name, List.of(tags)), k -> new Holder());
        h.generation = generation;
        return h;
    }

    /** Removes the series this refresh did not name. */
    void endRefresh() {
        for (Iterator<Holder> it = held.values().iterator(); it.hasNext(); ) {
            Holder h = it.next();
            if (h.generation != generation) {
                registry.remove(h.meter);
                it.remove();
            }
        }
    }

    int size() {
        return held.size();
    }
}
