package io.podhogs.export;

import static io.podhogs.export.ConnectionFixtures.account;
import static io.podhogs.export.ConnectionFixtures.flow;
import static io.podhogs.export.ConnectionFixtures.process;
import static io.podhogs.export.ConnectionFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.FilteredKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.FlowSnapshot;
import io.podhogs.identity.CgroupIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --by port: connections summed by service port, the rest in one row, a filter's left-outs in theirs. */
class PortRowsTest {
    private static final ProcessOwner SERVER = process(7, "/usr/bin/app", CgroupIdentity.NONE);

    @Test
    void aServersClientsAndItsOwnClientConnectionsAreRowsOfTheirPortsAndTheyAddUp() {
        FlowSnapshot client1 = flow(SERVER, 8080, 51000, new Traffic(100, 1, 10, 1));
        FlowSnapshot client2 = flow(SERVER, 8080, 51001, new Traffic(200, 2, 20, 2));
        FlowSnapshot toDb = flow(SERVER, 52000, 5432, new Traffic(5, 1, 500, 5));
        AccountSnapshot server = account(SERVER, new Traffic(400, 5, 600, 9)); // 95/1 and 70/1 of closed ones
        AccountSnapshot filtered = new AccountSnapshot(new FilteredKey(), Map.of(), new Traffic(9, 9, 9, 9), 0, 0, false,
                0, 0);
        EngineSnapshot s = snapshot(Instant.EPOCH, List.of(server, filtered), List.of(client1, client2, toDb), 1, 0);

        List<AccountSnapshot> rows = new PortRows(new PortRanges(List.of(), 32768, 60999)).rows(s.accounts(), s);

        assertEquals(List.of("filtered", "tcp/8080 served", "tcp/5432 used", "other traffic"),
                rows.stream().map(a -> a.key().name()).toList());
        assertEquals(List.of(filtered.total(), new Traffic(300, 3, 30, 3), toDb.credited(), new Traffic(95, 1, 70, 1)),
                rows.stream().map(AccountSnapshot::total).toList());
    }
}
