package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ConnectionKey;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.Owner;
import io.podhogs.attribution.FlowKey;
import io.podhogs.engine.Connections;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.FlowSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code --by connection}: each owner's connections that the snapshot lists (the
 * engine's busiest, {@code EngineConfig.LISTED_CONNECTIONS} of them) and the rest of its bytes in
 * one row ({@link ConnectionKey#rest}), so that an owner's rows add up to its account and all rows to
 * what the accounts hold. Accounts of no one owner (exited processes, a filter's left-outs) stay
 * rows of their own. A connection's rates are over the time between the engine's copies (the ledger
 * keeps rates per account, not per connection).
 */
public final class ConnectionRows {
    private static final double[] NO_RATE = {0, 0};

    private Connections lastCopy = Connections.NONE;
    private Map<FlowKey, Traffic> copyTotals = Map.of();
    private Map<FlowKey, double[]> copyRates = Map.of();
    private EngineSnapshot last;
    private List<AccountSnapshot> lastRows = List.of();

    /**
     * The rows of {@code accounts} (a snapshot's, after a filter). The same snapshot again (the top
     * view redrawn for a key) gives the same rows.
     */
    public synchronized List<AccountSnapshot> rows(List<AccountSnapshot> accounts, EngineSnapshot s) {
        if (s == last) {
            return lastRows;
        }
        rates(s.connections());
        Map<Owner, List<FlowSnapshot>> byOwner = new HashMap<>();
        for (FlowSnapshot f : s.connections().flows()) {
            byOwner.computeIfAbsent(f.owner(), o -> new ArrayList<>()).add(f);
        }
        List<AccountSnapshot> rows = new ArrayList<>();
        for (AccountSnapshot a : accounts) {
            if (a.key() instanceof OwnerKey owner) {
                split(a, owner.owner(), byOwner.getOrDefault(owner.owner(), List.of()), rows);
            } else {
                rows.add(a);
            }
        }
        last = s;
        lastRows = List.copyOf(rows);
        return lastRows;
    }

    /** The owner's listed connections, and the rest of its account. */
    private void split(AccountSnapshot a, Owner owner, List<FlowSnapshot> flows, List<AccountSnapshot> rows) {
        Map<Integer, Traffic> rest = new HashMap<>(a.byInterface());
        double sentRate = 0;
        double receivedRate = 0;
        long inferredSent = 0;
        long inferredReceived = 0;
        for (FlowSnapshot f : flows) {
            ConnectionKey key = ConnectionKey.of(f.key(), owner, f.peer(), f.inferred());
            Traffic t = f.credited();
            rest.computeIfPresent(f.key().ifindex(), (i, left) -> minus(left, t));
            double[] rate = copyRates.getOrDefault(f.key(), NO_RATE);
            rows.add(new AccountSnapshot(key, Map.of(f.key().ifindex(), t), t, rate[0], rate[1], false,
                    f.inferred() ? t.sentBytes() : 0, f.inferred() ? t.receivedBytes() : 0));
            sentRate += rate[0];
            receivedRate += rate[1];
            if (f.inferred()) {
                inferredSent += t.sentBytes();
                inferredReceived += t.receivedBytes();
            }
        }
        rest.values().removeIf(t -> t.equals(Traffic.NONE));
        if (!rest.isEmpty()) {
            // The rest's rate is the account's beyond its listed connections': its bytes jump when a
            // connection is forgotten and its bytes join it, which a difference would show as a burst.
            Traffic total = rest.values().stream().reduce(Traffic.NONE, Traffic::plus);
            rows.add(new AccountSnapshot(ConnectionKey.rest(owner), Map.copyOf(rest), total,
                    Math.max(0, a.sentRate() - sentRate), Math.max(0, a.receivedRate() - receivedRate), a.exited(),
                    Math.max(0, a.inferredSentBytes() - inferredSent),
                    Math.max(0, a.inferredReceivedBytes() - inferredReceived)));
        }
    }

    /**
     * Each connection's rates between the engine's last two copies (it copies once a second, the
     * rows may be shown more often): a connection new in a copy counts from nothing, as its bytes
     * are of the time since the last; the first copy has no rates.
     */
    private void rates(Connections copy) {
        if (copy == lastCopy) {
            return;
        }
        double seconds = lastCopy.copiedNanos() == Long.MIN_VALUE ? 0 : (copy.copiedNanos() - lastCopy.copiedNanos()) / 1e9;
        Map<FlowKey, Traffic> totals = new HashMap<>();
        Map<FlowKey, double[]> rates = new HashMap<>();
        for (FlowSnapshot f : copy.flows()) {
            Traffic t = f.credited();
            totals.put(f.key(), t);
            if (seconds > 0) {
                Traffic before = copyTotals.getOrDefault(f.key(), Traffic.NONE);
                rates.put(f.key(), new double[] {Math.max(0, t.sentBytes() - before.sentBytes()) / seconds,
                        Math.max(0, t.receivedBytes() - before.receivedBytes()) / seconds});
            }
        }
        lastCopy = copy;
        copyTotals = totals;
        copyRates = rates;
    }

    /** What is left of {@code a} without {@code b}, never below nothing (a copy older than the account is less). */
    private static Traffic minus(Traffic a, Traffic b) {
        return new Traffic(Math.max(0, a.sentBytes() - b.sentBytes()), Math.max(0, a.sentPackets() - b.sentPackets()),
                Math.max(0, a.receivedBytes() - b.receivedBytes()),
                Math.max(0, a.receivedPackets() - b.receivedPackets()));
    }
}
