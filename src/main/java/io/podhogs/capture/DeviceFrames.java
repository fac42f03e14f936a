package io.podhogs.capture;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The frames a set of devices carried, by their own counters, summed over time as a total that
 * only goes up: each look adds what each device counted since the last look. A device that
 * appears adds nothing at its first look (its counters may hold frames from before, from another
 * namespace even); one created again under the same name starts again from its new counters.
 */
final class DeviceFrames {
    private final Map<String, Long> last = new HashMap<>();
    private long total;

    /**
     * The total after this look.
     *
     * @param counts every device's frames now, by name ({@link NetInterfaces#packetCounts()})
     * @param covered the devices to sum
     */
    long look(Map<String, Long> counts, Collection<String> covered) {
        Map<String, Long> seen = new HashMap<>();
        for (String name : covered) {
            Long now = counts.get(name);
            if (now == null) {
                continue;
            }
            Long before = last.get(name);
            if (before != null && now > before) {
                total += now - before;
            }
            seen.put(name, now);
        }
        last.clear();
        last.putAll(seen);
        return total;
    }
}
