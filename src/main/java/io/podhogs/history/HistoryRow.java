package io.podhogs.history;

import io.podhogs.accounting.Traffic;
import java.time.Instant;
import java.util.Map;

/**
 * One key's traffic in one period, as read back.
 *
 * @param byRemoteClass the same traffic by the remote end's class ("" where none was classified)
 */
public record HistoryRow(Instant start, Instant end, HistoryKey key, Traffic traffic, Map<String, Traffic> byRemoteClass) {
    public long total() {
        return traffic.sentBytes() + traffic.receivedBytes();
    }
}
