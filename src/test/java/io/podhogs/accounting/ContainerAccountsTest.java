package io.podhogs.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.QosClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerAccountsTest {
    private static final String WEB = "a".repeat(64);
    private static final String DB = "b".repeat(64);
    private static final long WEB_NS = 4026532301L;
    private static final long DB_NS = 4026532302L;
    private static final int WEB_VETH = 11;
    private static final int DB_VETH = 12;
    private static final int ETH0 = 2;

    private static AccountSnapshot account(AccountKey key, int ifindex, long sent, long received, boolean exited) {
        Traffic t = new Traffic(sent, sent / 100, received, received / 100);
        return new AccountSnapshot(key, Map.of(ifindex, t), t, sent / 2.0, received / 2.0, exited, 0, 0);
    }

    private static OwnerKey process(int pid, String container, long netns) {
        CgroupIdentity cgroup = container.isEmpty() ? CgroupIdentity.NONE
                : new CgroupIdentity("docker", container, "", QosClass.NONE);
        return new OwnerKey(new ProcessOwner(new ProcessInfo(pid, pid * 10L, 0, "/bin/p" + pid, "p" + pid, "p", cgroup), netns));
    }

    @Test
    void aContainerIsItsProcessesAndItsNamespacesUnclaimedTraffic() {
        List<AccountSnapshot> accounts = List.of(
                account(process(1, WEB, WEB_NS), WEB_VETH, 1000, 200, false),
                account(process(2, WEB, WEB_NS), WEB_VETH, 3000, 400, true),
                account(new OwnerKey(new UnknownOwner("unknown TCP [net:" + WEB_NS + "]", WEB_NS)), WEB_VETH, 50, 60, false),
                account(process(3, DB, DB_NS), DB_VETH, 7000, 900, true), // every process of it exited
                account(new OwnerKey(new UnknownOwner("unknown other [net:" + DB_NS + "]", DB_NS)), DB_VETH, 5, 6, false),
                account(process(4, "", 0), ETH0, 10_000, 20_000, false), // a host process
                account(new OwnerKey(UnknownOwner.OTHER), ETH0, 7, 8, false));
        List<AccountSnapshot> rows = ContainerAccounts.group(accounts, Map.of(), id -> id.equals(WEB) ? "web-1" : null);

        assertEquals(4, rows.size(), rows::toString);
        AccountSnapshot web = row(rows, "web-1");
        assertEquals(new Traffic(4050, 40, 660, 6), web.total());
        assertEquals(web.total(), web.on(WEB_VETH));
        assertEquals((1000 + 3000 + 50) / 2.0, web.sentRate());
        assertFalse(web.exited(), "one of its processes runs");
        assertEquals(WEB_NS, web.key().netns());
        assertEquals(WEB, web.cgroup().containerId());

        AccountSnapshot db = row(rows, "docker:bbbbbbbbbbbb"); // no name known: runtime and short ID
        assertEquals(7005, db.sentBytes(), "its veth's traffic stays its own after its processes exited");
        assertTrue(db.exited());

        assertTrue(rows.contains(accounts.get(5)), "the host process, as it was");
        assertTrue(rows.contains(accounts.get(6)), "the host's own bucket, as it was");
        long sum = rows.stream().mapToLong(AccountSnapshot::sentBytes).sum();
        assertEquals(accounts.stream().mapToLong(AccountSnapshot::sentBytes).sum(), sum, "nothing lost, nothing twice");
    }

    private static AccountSnapshot row(List<AccountSnapshot> rows, String name) {
        return rows.stream().filter(r -> r.key() instanceof ContainerKey c && c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    }
}
