package io.podhogs.export;

import static io.podhogs.export.ConnectionFixtures.account;
import static io.podhogs.export.ConnectionFixtures.flow;
import static io.podhogs.export.ConnectionFixtures.process;
import static io.podhogs.export.ConnectionFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ConnectionKey;
import io.podhogs.accounting.ExitedProcessesKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.FlowSnapshot;
import io.podhogs.identity.CgroupIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --by connection}'s rows: an owner's listed connections and one row of the rest of its
 * account, so that its rows add up to it; rates between the engine's copies.
 */
class ConnectionRowsTest {
    private static final ProcessOwner CURL = process(7, "/usr/bin/curl", CgroupIdentity.NONE);
    private static final ProcessOwner NGINX = process(8, "/usr/sbin/nginx", CgroupIdentity.NONE);
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    private static Traffic sum(List<AccountSnapshot> rows) {
        return rows.stream().map(AccountSnapshot::total).reduce(Traffic.NONE, Traffic::plus);
    }

    @Test
    void anOwnersConnectionsAndItsRestAddUpToItsAccount() {
        FlowSnapshot first = flow(CURL, 40000, 80, new Traffic(600, 6, 3000, 12));
        FlowSnapshot second = flow(CURL, 40001, 443, new Traffic(300, 3, 1500, 6));
        AccountSnapshot curl = account(CURL, new Traffic(1000, 10, 5000, 20));
        AccountSnapshot nginx = account(NGINX, new Traffic(70, 1, 80, 1)); // no connection listed
        AccountSnapshot exited = new AccountSnapshot(new ExitedProcessesKey(CgroupIdentity.NONE, 0), Map.of(),
                new Traffic(5, 1, 5, 1), 0, 0, true, 0, 0);
        EngineSnapshot s = snapshot(T0, List.of(curl, nginx, exited), List.of(first, second), 1_000_000_000L, 0);

        List<AccountSnapshot> rows = new ConnectionRows().rows(s.accounts(), s);

        assertEquals(List.of("tcp 10.0.0.2:40000 <-> 10.0.0.1:80", "tcp 10.0.0.2:40001 <-> 10.0.0.1:443",
                ConnectionKey.REST, ConnectionKey.REST, exited.key().name()), rows.stream().map(a -> a.key().name()).toList());
        assertEquals(List.of(first.credited(), second.credited(), new Traffic(100, 1, 500, 2), nginx.total(),
                exited.total()), rows.stream().map(AccountSnapshot::total).toList());
        assertEquals(sum(s.accounts()), sum(rows), "nothing lost, nothing twice");
        assertEquals(List.of(7, 7, 7, 8, 0), rows.stream().map(AccountSnapshot::pid).toList(), "the owner's pid");
        assertEquals("/usr/bin/curl", rows.get(0).program(), "the program is the owner's");
    }

    @Test
    void aCopyOlderThanTheAccountLeavesTheDifferenceInTheRestNeverBelowNothing() {
        // The engine copies connections once a second, publishes accounts ten times a second.
        FlowSnapshot listed = flow(CURL, 40000, 80, new Traffic(600, 6, 3000, 12));
        EngineSnapshot s = snapshot(T0, List.of(account(CURL, new Traffic(600, 6, 3000, 12))), List.of(listed), 1, 0);
        assertEquals(1, new ConnectionRows().rows(s.accounts(), s).size(), "no rest row when the connections hold it all");
        FlowSnapshot ahead = flow(CURL, 40000, 80, new Traffic(700, 7, 3000, 12));
        s = snapshot(T0, List.of(account(CURL, new Traffic(650, 7, 3100, 13))), List.of(ahead), 1, 0);
        List<AccountSnapshot> rows = new ConnectionRows().rows(s.accounts(), s);
        assertEquals(List.of(ahead.credited(), new Traffic(0, 0, 100, 1)), rows.stream().map(AccountSnapshot::total).toList());
    }

    @Test
    void ratesAreOverTheTimeBetweenCopiesAndANewConnectionCountsFromNothing() {
        ConnectionRows connections = new ConnectionRows();
        FlowSnapshot old = flow(CURL, 40000, 80, new Traffic(1000, 1, 2000, 2));
        EngineSnapshot first = snapshot(T0, List.of(account(CURL, old.credited())), List.of(old), 5_000_000_000L, 0);
        assertEquals(0, connections.rows(first.accounts(), first).get(0).sentRate(), "no rate from one copy");

        FlowSnapshot older = flow(CURL, 40000, 80, new Traffic(3000, 3, 2000, 2));
        FlowSnapshot fresh = flow(CURL, 40001, 80, new Traffic(500, 1, 1000, 1));
        Traffic total = older.credited().plus(fresh.credited());
        // Two seconds later by the copies' clock (the snapshot's wall time says nothing of it).
        EngineSnapshot second = snapshot(T0, List.of(account(CURL, total)), List.of(older, fresh), 7_000_000_000L, 0);
        List<AccountSnapshot> rows = connections.rows(second.accounts(), second);
        assertEquals(List.of(1000.0, 0.0, 250.0, 500.0), List.of(rows.get(0).sentRate(), rows.get(0).receivedRate(),
                rows.get(1).sentRate(), rows.get(1).receivedRate()));

        // A second snapshot of the same copy: the same rates, not none.
        EngineSnapshot again = snapshot(T0.plusMillis(500), second.accounts(), List.of(older, fresh), 7_000_000_000L, 0)
                .withConnections(second.connections());
        assertEquals(1000.0, connections.rows(again.accounts(), again).get(0).sentRate());
        assertSame(connections.rows(again.accounts(), again), connections.rows(again.accounts(), again),
                "the same snapshot again: the same rows");
    }
}
