package io.podhogs.history;

import io.podhogs.accounting.Traffic;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What was counted and not written yet, by 5-minute period, key and remote class: kept across
 * failed flushes (a full disk, a lock) until one succeeds. Bounded: past {@link #MAX_ROWS} rows,
 * new keys are summed into their level's {@code other} row, and counted.
 */
final class PendingRows {
    static final int MAX_ROWS = 100_000;

    /** Period start (epoch seconds) -> key -> remote class -> {sent bytes, sent packets, received bytes, received packets}. */
    private final Map<Long, Map<HistoryKey, Map<String, long[]>>> rows = new TreeMap<>();
    private int size;
    private long keysSummedIntoOther;

    void add(long periodStart, HistoryKey key, Map<String, Traffic> byClass) {
        Map<HistoryKey, Map<String, long[]>> period = rows.computeIfAbsent(periodStart, p -> new HashMap<>());
        Map<String, long[]> classes = period.get(key);
        if (classes == null) {
            if (size >= MAX_ROWS) {
                keysSummedIntoOther++;
                key = HistoryKey.other(key.level());
                classes = period.get(key);
            }
            if (classes == null) {
                classes = new HashMap<>();
                period.put(key, classes);
            }
        }
        for (Map.Entry<String, Traffic> e : byClass.entrySet()) {
            long[] c = classes.get(e.getKey());
            if (c == null) {
                c = new long[4];
                classes.put(e.getKey(), c);
                size++;
            }
            Traffic t = e.getValue();
            c[0] += t.sentBytes();
            c[1] += t.sentPackets();
            c[2] += t.receivedBytes();
            c[3] += t.receivedPackets();
        }
    }

    Map<Long, Map<HistoryKey, Map<String, long[]>>> rows() {
        return rows;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    int size() {
        return size;
    }

    /** Keys that found the pending rows full and went to {@code other} instead. */
    long keysSummedIntoOther() {
        return keysSummedIntoOther;
    }

    void clear() {
        rows.clear();
        size = 0;
    }
}
