package io.podhogs.export.api;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.RemoteClassTraffic;
import io.podhogs.accounting.Traffic;
import io.podhogs.export.RateHistory;
import io.podhogs.identity.RemoteClass;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's rows' recent totals ({@link RateHistory}): the rates over 2, 10 and 40 seconds of any
 * level (a pod's, a namespace's) from its own totals, its peak the highest 2-second rate seen. The
 * refresher thread only.
 */
final class RowHistory {
    private final RateHistory<String> rates = new RateHistory<>();

    void beginRefresh() {
        rates.beginRefresh();
    }

    /** The row's usage now, its history taken one sample further. */
    Usage usage(String key, AccountSnapshot a, long nowNanos) {
        return usage(key, a.total(), a.byRemoteClass(), nowNanos);
    }

    Usage usage(String key, Traffic total, Map<RemoteClass, RemoteClassTraffic> byClass, long nowNanos) {
        RateHistory.Rates r = rates.sample(key, total.sentBytes(), total.receivedBytes(), nowNanos);
        Map<String, Usage.Rate> windows = new LinkedHashMap<>();
        for (int w = 0; w < RateHistory.WINDOW_NAMES.length; w++) {
            windows.put(RateHistory.WINDOW_NAMES[w], new Usage.Rate(r.sent()[w], r.received()[w]));
        }
        Map<String, Usage.ClassUsage> classes = new LinkedHashMap<>();
        byClass.forEach((c, t) -> classes.put(c.label(), new Usage.ClassUsage(t.total().sentBytes(),
                t.total().receivedBytes(), t.total().sentPackets(), t.total().receivedPackets())));
        return new Usage(total.sentBytes(), total.receivedBytes(), total.sentPackets(), total.receivedPackets(), windows,
                new Usage.Rate(r.peakSent(), r.peakReceived()), classes);
    }

    /** How many samples a row keeps (for tests of the bound). */
    int samples(String key) {
        return rates.samples(key);
    }

    /** Forgets the rows this refresh did not show. */
    void endRefresh() {
        rates.endRefresh();
    }
}
