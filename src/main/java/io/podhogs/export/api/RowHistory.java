package io.podhogs.export.api;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.RemoteClassTraffic;
import io.podhogs.accounting.Traffic;
import io.podhogs.identity.RemoteClass;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each row's recent totals, one sample per refresh, kept for the longest window: the rates over 2,
 * 10 and 40 seconds of any level (a pod's, a namespace's) come from its own totals, and its peak is
 * the highest 2-second rate seen. Rows not seen at a refresh are forgotten, so what is kept is
 * bounded by what exists. The refresher thread only.
 */
final class RowHistory {
    static final long[] WINDOWS_NANOS = {2_000_000_000L, 10_000_000_000L, 40_000_000_000L};
    private static final String[] WINDOW_NAMES = {"2s", "10s", "40s"};

    private static final long SPACING_NANOS = 1_000_000_000L;

    private final Map<String, Samples> rows = new HashMap<>();
    private long generation;

    private static final class Samples {
        final ArrayDeque<long[]> ring = new ArrayDeque<>(); // {nanos, sent, received}
        double peakSent;
        double peakReceived;
        long generation;
    }

    void beginRefresh() {
        generation++;
    }

    /** The row's usage now, its history taken one sample further. */
    Usage usage(String key, AccountSnapshot a, long nowNanos) {
        return usage(key, a.total(), a.byRemoteClass(), nowNanos);
    }

    Usage usage(String key, Traffic total, Map<RemoteClass, RemoteClassTraffic> byClass, long nowNanos) {
        Samples s = rows.computeIfAbsent(key, k -> new Samples());
        s.generation = generation;
        // Samples a second apart, and the newest: at most ~42 per row whatever the refresh period.
        if (s.ring.size() >= 2 && s.ring.peekLast()[0] - secondNewest(s.ring)[0] < SPACING_NANOS) {
            s.ring.removeLast();
        }
        s.ring.addLast(new long[] {nowNanos, total.sentBytes(), total.receivedBytes()});
        // Keep one sample at or beyond the longest window, so that its rate spans all of it.
        while (s.ring.size() > 2) {
            Iterator<long[]> it = s.ring.iterator();
            it.next();
            if (nowNanos - it.next()[0] >= WINDOWS_NANOS[WINDOWS_NANOS.length - 1]) {
                s.ring.removeFirst();
            } else {
                break;
            }
        }
        Map<String, Usage.Rate> rates = new LinkedHashMap<>();
        for (int w = 0; w < WINDOWS_NANOS.length; w++) {
            rates.put(WINDOW_NAMES[w], rate(s.ring, nowNanos, WINDOWS_NANOS[w]));
        }
        Usage.Rate two = rates.get("2s");
        s.peakSent = Math.max(s.peakSent, two.sent());
        s.peakReceived = Math.max(s.peakReceived, two.received());
        Map<String, Usage.ClassUsage> classes = new LinkedHashMap<>();
        byClass.forEach((c, t) -> classes.put(c.label(), new Usage.ClassUsage(t.total().sentBytes(),
                t.total().receivedBytes(), t.total().sentPackets(), t.total().receivedPackets())));
        return new Usage(total.sentBytes(), total.receivedBytes(), total.sentPackets(), total.receivedPackets(), rates,
                new Usage.Rate(s.peakSent, s.peakReceived), classes);
    }

    private static long[] secondNewest(ArrayDeque<long[]> ring) {
        Iterator<long[]> it = ring.descendingIterator();
        it.next();
        return it.next();
    }

    /** From the newest sample back to the oldest one within the window (or the oldest kept). */
    private static Usage.Rate rate(ArrayDeque<long[]> ring, long nowNanos, long windowNanos) {
        long[] newest = ring.peekLast();
        long[] from = newest;
        for (Iterator<long[]> it = ring.descendingIterator(); it.hasNext(); ) {
            long[] sample = it.next();
            from = sample;
            if (nowNanos - sample[0] >= windowNanos) {
                break;
            }
        }
        double seconds = (newest[0] - from[0]) / 1e9;
        if (seconds <= 0) {
            return new Usage.Rate(0, 0);
        }
        return new Usage.Rate((newest[1] - from[1]) / seconds, (newest[2] - from[2]) / seconds);
    }

    /** How many samples a row keeps (for tests of the bound). */
    int samples(String key) {
        Samples s = rows.get(key);
        return s == null ? 0 : s.ring.size();
    }

    /** Forgets the rows this refresh did not show. */
    void endRefresh() {
        rows.values().removeIf(s -> s.generation != generation);
    }
}
