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
 * and what feeds them; series not named again are removed (a pod retired after its grace, a
 * process beyond the cap). A counter is fed by contributors (the pod UIDs, container IDs, interface
 * indexes ... behind one set of labels), each with a cumulative total: the counter adds what each
 * contributor grew by since the last refresh, so two pods of one name add up, a contributor that
 * goes keeps what it gave, and a counter never goes down. One thread (the agent's refresher) calls it.
 *
 * <p>A series new in a refresh is registered at its end, after those the refresh did not name are
 * removed: a scrape while a refresh runs sees the last refresh's set, with some values already the
 * new ones, never both sets at once (it saw 116 process series under a cap of 100 when the new
 * were registered as they came).
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
        /** Null until registered at the end of the refresh that made it. */
        Meter meter;
        /** How to register it: a counter or a gauge, its help and labels. */
        boolean gauge;
        String help;
        String[] tags;
        long generation;
        /** Per contributor: its total at the last refresh, and the refresh that last named it. */
        final Map<Object, double[]> contributors = new HashMap<>();
    }

    Series(MeterRegistry registry) {
        this.registry = registry;
    }

    void beginRefresh() {
        generation++;
    }

    /**
     * A counter fed by {@code contributor}'s cumulative {@code total}.
     *
     * @param tags label name, value, name, value ...
     */
    void counter(String name, String help, Object contributor, double total, String... tags) {
        Holder h = holder(name, help, tags, false);
        double[] last = h.contributors.get(contributor);
        double grew = last == null ? total : total - last[0];
        if (grew > 0) {
            h.value += grew;
        }
        h.contributors.put(contributor, new double[] {total, generation});
    }

    /** A gauge's value now. */
    void gauge(String name, String help, double value, String... tags) {
        Holder h = holder(name, help, tags, true);
        h.value = value;
    }

    private Holder holder(String name, String help, String[] tags, boolean gauge) {
        Holder h = held.computeIfAbsent(new Key(name, List.of(tags)), k -> new Holder());
        if (h.meter == null) {
            h.gauge = gauge;
            h.help = help;
            h.tags = tags;
        }
        h.generation = generation;
        return h;
    }

    /**
     * Removes the series this refresh did not name and the contributors it did not name, then
     * registers the series it made.
     */
    void endRefresh() {
        for (Iterator<Map.Entry<Key, Holder>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Holder h = it.next().getValue();
            if (h.generation != generation) {
                if (h.meter != null) {
                    registry.remove(h.meter);
                }
                it.remove();
            } else {
                h.contributors.values().removeIf(c -> c[1] != generation);
            }
        }
        held.forEach((key, h) -> {
            if (h.meter == null) {
                h.meter = h.gauge
                        ? Gauge.builder(key.name(), h, x -> x.value).description(h.help).tags(Tags.of(h.tags)).register(registry)
                        : FunctionCounter.builder(key.name(), h, x -> x.value).description(h.help).tags(Tags.of(h.tags))
                                .register(registry);
            }
        });
    }

    /** Removes every series (the agent stops): a later exporter starts from a clean registry. */
    void clear() {
        held.values().forEach(h -> {
            if (h.meter != null) {
                registry.remove(h.meter);
            }
        });
        held.clear();
    }

    int size() {
        return held.size();
    }
}
