package io.podhogs.capture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The part of the BPF filter on the {@code any} device that keeps only the selected devices, so
 * that frames of other devices never leave the kernel, kept in step with the host's interfaces
 * (read by the engine about once a second, on its thread).
 *
 * <ul>
 *   <li>Named devices ({@code podhogs eth0 veth1}): {@code ifindex N or ...}. A named device that
 *       is deleted and created again comes back under another index: the filter follows its name
 *       (the capture sets the new one on its running handle, see {@link CaptureLoop#changeFilter}).
 *       A named device that is gone keeps its last index until it is back.</li>
 *   <li>Every device: the devices left out by name (loopback without -a, --include/--exclude)
 *       that exist now, as ranges of indexes with no counted device inside, so that hundreds of
 *       veths left out make a short program: {@code not (ifindex 1 or (link[4:4] >= 7 and
 *       link[4:4] <= 480))} (link[4:4] is the cooked v2 header's interface index, as ifindex
 *       tests it). Devices left out that appear later are dropped by the engine. Should a device
 *       that is counted appear with an index inside a range (indexes are not reused, but can be
 *       asked for), the ranges are drawn again.</li>
 * </ul>
 *
 * Beyond {@value #MAX_TERMS} terms (about two BPF instructions each; the kernel runs 4096) the
 * kernel gets no device part at all and the engine, which counts devices by name, drops the frames
 * of the others itself.
 */
final class DeviceFilter {
    private static final Logger LOG = Logger.getLogger(DeviceFilter.class);
    static final int MAX_TERMS = 1000;

    private final CaptureConfig config;
    private final boolean named;
    /** Named devices: each name's index, the last one seen while the device existed. */
    private final Map<String, Integer> namedIndexes = new LinkedHashMap<>();
    /** Every device: inclusive ranges of indexes whose frames the kernel drops, in order. */
    private List<int[]> excluded = List.of();
    private boolean overLimit;
    private volatile String text = "";
    private volatile int version;

    private DeviceFilter(CaptureConfig config, boolean named) {
        this.config = config;
        this.named = named;
    }

    static DeviceFilter of(CaptureConfig config, DeviceSelection selection) {
        DeviceFilter filter = new DeviceFilter(config, selection.named());
        if (selection.named()) {
            selection.devices().forEach(d -> filter.namedIndexes.put(d.name(), d.index()));
            filter.rebuild();
        } else {
            List<NetInterface> all = new ArrayList<>(selection.devices());
            all.addAll(selection.excluded());
            filter.redraw(all);
        }
        return filter;
    }

    /** The filter's text now: empty when the kernel gets no device part. */
    String text() {
        return text;
    }

    /** Goes up by one each time {@link #text()} changes. */
    int version() {
        return version;
    }

    /** Follows the host's interfaces: named devices by name, ranges drawn again if a counted device is inside one. */
    void update(Collection<NetInterface> current) {
        if (named) {
            boolean moved = false;
            for (NetInterface d : current) {
                Integer known = namedIndexes.get(d.name());
                if (known != null && known != d.index()) {
                    namedIndexes.put(d.name(), d.index());
                    moved = true;
                }
            }
            if (moved) {
                rebuild();
            }
            return;
        }
        if (current.stream().anyMatch(d -> config.counts(d) && inRange(d.index()))) {
            redraw(current);
        }
    }

    /** Whether the device part lets frames of {@code device} through to the socket. */
    boolean reaches(NetInterface device) {
        if (text.isEmpty()) {
            return true;
        }
        return named ? namedIndexes.containsValue(device.index()) : !inRange(device.index());
    }

    private boolean inRange(int index) {
        for (int[] range : excluded) {
            if (index >= range[0] && index <= range[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ranges over the devices in index order: a device left out by name that is up (or loopback)
     * opens or extends one, a counted device closes it, others (left out and down) do neither.
     */
    private void redraw(Collection<NetInterface> devices) {
        List<int[]> ranges = new ArrayList<>();
        int[] open = null;
        for (NetInterface d : devices.stream().sorted(Comparator.comparingInt(NetInterface::index)).toList()) {
            if (config.counts(d)) {
                open = null;
            } else if (d.up() || d.loopback()) {
                if (open == null) {
                    open = new int[] {d.index(), d.index()};
                    ranges.add(open);
                } else {
                    open[1] = d.index();
                }
            }
        }
        excluded = ranges;
        rebuild();
    }

    private void rebuild() {
        List<String> terms = named
                ? namedIndexes.values().stream().distinct().map(i -> "ifindex " + i).toList()
                : excluded.stream().map(r -> r[0] == r[1] ? "ifindex " + r[0]
                        : "(link[4:4] >= " + r[0] + " and link[4:4] <= " + r[1] + ")").toList();
        boolean over = terms.size() > MAX_TERMS;
        if (over != overLimit) {
            overLimit = over;
            if (over) {
                LOG.warnf("%d device tests are more than a kernel filter should hold (%d): the engine leaves out the"
                        + " devices not counted itself, after their frames are copied to podhogs", terms.size(), MAX_TERMS);
            }
        }
        String next = over || terms.isEmpty() ? ""
                : named ? String.join(" or ", terms)
                : "not (" + terms.stream().collect(Collectors.joining(" or ")) + ")";
        if (!next.equals(text)) {
            text = next;
            version++;
        }
    }
}
