package io.podhogs.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.QosClass;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Processes into containers, into pods, into namespaces and workloads: every byte once at every level. */
class RollUpTest {
    private static final String WEB_APP = "a".repeat(64);
    private static final String WEB_SIDECAR = "b".repeat(64);
    private static final String AGENT = "c".repeat(64);
    private static final long WEB_NS = 4026532301L;
    private static final Workload DEPLOY = new Workload("Deployment", "web");
    private static final Workload DAEMONS = new Workload("DaemonSet", "agent");
    private static final PodDirectory PODS = new PodDirectory(List.of(
            new PodInfo("uid-web", "shop", "web-1", "node-1", Map.of(), DEPLOY, false, List.of("10.244.1.5"),
                    Map.of(WEB_APP, "app", WEB_SIDECAR, "envoy"), null),
            new PodInfo("uid-agent", "kube-system", "agent-x", "node-1", Map.of(), DAEMONS, true, List.of(),
                    Map.of(AGENT, "agent"), null)), true, Duration.ofMinutes(5));

    private static AccountSnapshot account(AccountKey key, long sent) {
        Traffic t = new Traffic(sent, 1, sent / 10, 1);
        return new AccountSnapshot(key, Map.of(3, t), t, 0, 0, false, 0, 0);
    }

    private static OwnerKey process(int pid, CgroupIdentity cgroup, long netns) {
        return new OwnerKey(new ProcessOwner(new ProcessInfo(pid, pid, 0, "/bin/p" + pid, "p" + pid, "p", cgroup), netns));
    }

    private static CgroupIdentity kubelet(String podUid, String container) {
        return new CgroupIdentity("containerd", container, podUid, QosClass.BURSTABLE);
    }

    private final List<AccountSnapshot> accounts = List.of(
            account(process(1, kubelet("uid-web", WEB_APP), WEB_NS), 1000),
            account(process(2, kubelet("uid-web", WEB_SIDECAR), WEB_NS), 300),
            account(new OwnerKey(UnknownOwner.of(6, WEB_NS)), 7),
            account(process(3, kubelet("uid-agent", AGENT), 0), 50),
            account(new RetiredPodsKey("shop", DEPLOY), 5000),
            account(process(4, CgroupIdentity.NONE, 0), 11),
            account(new OwnerKey(UnknownOwner.OTHER), 2));

    private RollUp rollUp() {
        return new RollUp(accounts, Map.of(WEB_NS, kubelet("uid-web", WEB_APP)), id -> null, PODS);
    }

    private static long sent(List<AccountSnapshot> rows, AccountKey key) {
        return rows.stream().filter(a -> a.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + key + " in " + rows)).sentBytes();
    }

    private static long sent(List<AccountSnapshot> rows) {
        return rows.stream().mapToLong(AccountSnapshot::sentBytes).sum();
    }

    @Test
    void everyLevelSumsTheOneBelowAndPassesTheRestThrough() {
        RollUp levels = rollUp();
        assertEquals(6, levels.containers().size(), levels.containers()::toString); // 3 containers, 3 passed through
        assertEquals(1007, sent(levels.containers(), new ContainerKey(kubelet("uid-web", WEB_APP), "containerd:aaaaaaaaaaaa",
                WEB_NS)), "the app's process and its namespace's unclaimed traffic");

        assertEquals(1307, sent(levels.pods(), new PodKey("uid-web", "shop", "web-1", DEPLOY, WEB_NS)));
        assertEquals(50, sent(levels.pods(), new PodKey("uid-agent", "kube-system", "agent-x", DAEMONS, 0)));

        assertEquals(6307, sent(levels.namespaces(), new NamespaceKey("shop")), "its pod and its deleted pods");
        assertEquals(50, sent(levels.namespaces(), new NamespaceKey("kube-system")));
        assertEquals(6307, sent(levels.workloads(), new WorkloadKey("shop", DEPLOY)));
        assertEquals(50, sent(levels.workloads(), new WorkloadKey("kube-system", DAEMONS)));

        long all = sent(accounts);
        for (List<AccountSnapshot> level : List.of(levels.containers(), levels.pods(), levels.namespaces(),
                levels.workloads())) {
            assertEquals(all, sent(level), () -> "nothing lost, nothing twice: " + level);
        }
    }

    @Test
    void aLevelIsSummedOnceAndTheSameWhateverIsAskedFirst() {
        RollUp levels = rollUp();
        assertSame(levels.pods(), levels.pods());
        assertSame(levels.containers(), levels.containers());
        List<AccountSnapshot> workloadsFirst = rollUp().workloads();
        levels.namespaces();
        assertEquals(workloadsFirst, levels.workloads());
        assertEquals(PodAccounts.pods(ContainerAccounts.group(accounts, Map.of(WEB_NS, kubelet("uid-web", WEB_APP)),
                id -> null), PODS), levels.pods());
    }
}
