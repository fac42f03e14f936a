package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.InterfaceKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.engine.EngineSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of {@code --by interface}: a device each, its bytes on the host's side of it
 * ({@link Levels#interfaces}), and its rates over the last refresh interval (the ledger keeps
 * rates per account, not per device). A byte that crossed two devices is in both rows.
 */
public final class InterfaceRows {
    private Map<Integer, Traffic> previous = new HashMap<>();
    private long previousNanos;
    private EngineSnapshot last;
    private List<AccountSnapshot> lastRows = List.of();

    public InterfaceRows(long startNanos) {
        this.previousNanos = startNanos;
    }

    /**
     * This refresh's rows, one a device that exists now. The same snapshot again (the top view
     * redrawn for a key) gives the same rows: a rate over no time would be none.
     */
    public synchronized List<AccountSnapshot> rows(EngineSnapshot s, long nanos) {
        if (s == last) {
            return lastRows;
        }
        Map<Integer, Traffic> now = new TreeMap<>(Levels.interfaces(s));
        double seconds = Math.max(1e-9, (nanos - previousNanos) / 1e9);
        List<AccountSnapshot> rows = new ArrayList<>();
        for (Map.Entry<Integer, Traffic> e : now.entrySet()) {
            Traffic t = e.getValue();
            Traffic before = previous.getOrDefault(e.getKey(), Traffic.NONE);
            double sent = Math.max(0, t.sentBytes() - before.sentBytes()) / seconds;
            double received = Math.max(0, t.receivedBytes() - before.receivedBytes()) / seconds;
            rows.add(new AccountSnapshot(new InterfaceKey(e.getKey(), s.interfaceName(e.getKey())), Map.of(e.getKey(), t), t,
                    sent, received, false, 0, 0));
        }
        previous = now;
        previousNanos = nanos;
        last = s;
        lastRows = List.copyOf(rows);
        return lastRows;
    }
}
