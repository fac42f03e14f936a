package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.Ledger;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.accounting.TrafficDelta;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.identity.CgroupIdentity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A host that churns network namespaces keeps no account per namespace for ever: once a namespace
 * is gone, belonged to no container, and its buckets got no bytes for the retention, they are one
 * account, with every byte. Live namespaces and containers' namespaces keep theirs.
 */
class GoneNamespacesTest {
    private static final long TICK = 100_000_000L;
    private static final long RETENTION = 50 * TICK;

    @Test
    void bucketsOfGoneNamespacesWithoutAContainerAreFoldedAfterTheRetention() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        CgroupIdentity web = new CgroupIdentity("docker", "0123456789ab".repeat(5) + "cdef", "", io.podhogs.identity.QosClass.NONE);
        for (long netns = 4026532001L; netns < 4026532101L; netns++) { // 100 namespaces, each with its buckets
            ledger.credit(UnknownOwner.of(ParsedPacket.UDP, netns), 7, TrafficDelta.of(10, 1, 20, 2), TICK);
            ledger.credit(UnknownOwner.untracked(netns), 7, TrafficDelta.of(1, 1, 2, 1), TICK);
            // a process of the namespace's own, exited: its account folded into the namespace's exited processes
            int pid = (int) (netns - 4026532000L);
            ledger.credit(new ProcessOwner(new ProcessInfo(pid, pid, 0, "p", "p", "p", CgroupIdentity.NONE), netns), 7,
                    TrafficDelta.of(100, 1, 0, 0), TICK);
        }
        ledger.markExited(p -> true);
        assertEquals(100, ledger.retireExited(0, TICK));
        Set<Long> live = Set.of(4026532001L);                         // still there
        Map<Long, CgroupIdentity> containers = Map.of(4026532002L, web); // gone, but a container's
        Traffic before = total(ledger.snapshot());

        assertEquals(0, GoneNamespaces.fold(ledger, live, containers, RETENTION, 10 * TICK), "within the retention");
        assertEquals(98 * 3, GoneNamespaces.fold(ledger, live, containers, RETENTION, 60 * TICK));

        List<AccountSnapshot> after = ledger.snapshot();
        assertEquals(3 + 3 + 1, after.size(), "the live namespace's, the container's, and one for the gone");
        assertEquals(before, total(after), "every byte kept");
        AccountSnapshot gone = after.stream().filter(a -> a.key().equals(new OwnerKey(UnknownOwner.NAMESPACES_GONE))).findFirst()
                .orElseThrow();
        assertEquals(new Traffic(98 * 111, 98 * 3, 98 * 22, 98 * 3), gone.total());
    }

    private static Traffic total(List<AccountSnapshot> accounts) {
        return accounts.stream().map(AccountSnapshot::total).reduce(Traffic.NONE, Traffic::plus);
    }
}
