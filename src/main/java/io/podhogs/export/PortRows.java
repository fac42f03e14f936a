package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ConnectionKey;
import io.podhogs.accounting.FilteredKey;
import io.podhogs.accounting.PortKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.engine.EngineSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code --by port}: the connection rows ({@link ConnectionRows}) summed by their
 * service port ({@link PortRanges}), and everything of no listed connection in one
 * {@link PortKey#OTHER} row (a filter's left-outs in their own), so that the rows add up to what the
 * accounts hold.
 */
public final class PortRows {
    private final ConnectionRows connections = new ConnectionRows();
    private final PortRanges ranges;
    private EngineSnapshot last;
    private List<AccountSnapshot> lastRows = List.of();

    public PortRows(PortRanges ranges) {
        this.ranges = ranges;
    }

    /** The rows of {@code accounts} (a snapshot's, after a filter); the same snapshot again, the same rows. */
    public synchronized List<AccountSnapshot> rows(List<AccountSnapshot> accounts, EngineSnapshot s) {
        if (s == last) {
            return lastRows;
        }
        Map<PortKey, Sum> sums = new LinkedHashMap<>();
        List<AccountSnapshot> rows = new ArrayList<>();
        for (AccountSnapshot row : connections.rows(accounts, s)) {
            if (row.key() instanceof FilteredKey) {
                rows.add(row); // what a filter left out stays its own row, as at every level
                continue;
            }
            PortKey key = row.key() instanceof ConnectionKey c && c.flow() != null ? ranges.keyOf(c) : PortKey.OTHER;
            sums.computeIfAbsent(key, k -> new Sum()).add(row);
        }
        sums.forEach((key, sum) -> rows.add(sum.row(key)));
        last = s;
        lastRows = List.copyOf(rows);
        return lastRows;
    }

    /** One port's rows added up. */
    private static final class Sum {
        final Map<Integer, Traffic> byInterface = new HashMap<>();
        Traffic total = Traffic.NONE;
        double sentRate;
        double receivedRate;
        long inferredSent;
        long inferredReceived;

        void add(AccountSnapshot a) {
            a.byInterface().forEach((i, t) -> byInterface.merge(i, t, Traffic::plus));
            total = total.plus(a.total());
            sentRate += a.sentRate();
            receivedRate += a.receivedRate();
            inferredSent += a.inferredSentBytes();
            inferredReceived += a.inferredReceivedBytes();
        }

        AccountSnapshot row(PortKey key) {
            return new AccountSnapshot(key, Map.copyOf(byInterface), total, sentRate, receivedRate, false, inferredSent,
                    inferredReceived);
        }
    }
}
