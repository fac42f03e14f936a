package io.podhogs.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.QosClass;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Containers into pods, pods into namespaces and workloads: sums, with the remote classes carried up. */
class PodAccountsTest {
    private static final String WEB_APP = "a".repeat(64);
    private static final String WEB_SIDECAR = "b".repeat(64);
    private static final String AGENT = "c".repeat(64);
    private static final String PLAIN_DOCKER = "d".repeat(64);
    private static final long WEB_NS = 4026532301L;
    private static final Workload DEPLOY = new Workload("Deployment", "web");
    private static final PodDirectory PODS = new PodDirectory(List.of(
            new PodInfo("uid-web", "shop", "web-1", "node-1", Map.of("app", "web"), DEPLOY, false, List.of("10.244.1.5"),
                    Map.of(WEB_APP, "app", WEB_SIDECAR, "envoy"), null),
            new PodInfo("uid-agent", "kube-system", "agent-x", "node-1", Map.of(), new Workload("DaemonSet", "agent"), true,
                    List.of(), Map.of(AGENT, "agent"), null)), true, Duration.ofMinutes(5));

    private static AccountSnapshot account(AccountKey key, long sent, long received, RemoteClass to) {
        Traffic t = new Traffic(sent, 1, received, 1);
        RemotePeer peer = RemotePeer.of(to);
        return new AccountSnapshot(key, Map.of(3, t), t, sent, received, false, 0, 0, Map.of(peer, t),
                Map.of(to, new RemoteClassTraffic(t, sent, received)));
    }

    private static OwnerKey process(int pid, CgroupIdentity cgroup, long netns) {
        return new OwnerKey(new ProcessOwner(new ProcessInfo(pid, pid, 0, "/bin/p" + pid, "p" + pid, "p", cgroup), netns));
    }

    private static CgroupIdentity kubelet(String podUid, String container) {
        return new CgroupIdentity("containerd", container, podUid, QosClass.BURSTABLE);
    }

    private final List<AccountSnapshot> processes = List.of(
            account(process(1, kubelet("uid-web", WEB_APP), WEB_NS), 1000, 100, RemoteClass.EXTERNAL),
            account(process(2, kubelet("uid-web", WEB_SIDECAR), WEB_NS), 300, 30, RemoteClass.SERVICE),
            account(new OwnerKey(new UnknownOwner("unknown TCP [net:" + WEB_NS + "]", WEB_NS)), 7, 0, RemoteClass.EXTERNAL),
            // a hostNetwork pod: its processes are in the host's namespace, its pod by the cgroup
            account(process(3, kubelet("uid-agent", AGENT), 0), 50, 5, RemoteClass.NODE),
            // a container under Docker alone, no pod in its cgroup or in the API
            account(process(4, new CgroupIdentity("docker", PLAIN_DOCKER, "", QosClass.NONE), 0), 9, 9,
                    RemoteClass.EXTERNAL),
            account(process(5, CgroupIdentity.NONE, 0), 11, 11, RemoteClass.EXTERNAL),
            account(new RetiredPodsKey("shop", DEPLOY), 5000, 500, RemoteClass.EXTERNAL));

    private List<AccountSnapshot> pods() {
        List<AccountSnapshot> containers = ContainerAccounts.group(processes,
                Map.of(WEB_NS, kubelet("uid-web", WEB_APP)), id -> null);
        return PodAccounts.pods(containers, PODS);
    }

    private static AccountSnapshot row(List<AccountSnapshot> rows, AccountKey key) {
        return rows.stream().filter(a -> a.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + key + " in " + rows));
    }

    @Test
    void aPodIsItsContainersAndItsNamespacesUnclaimedTraffic() {
        List<AccountSnapshot> rows = pods();
        AccountSnapshot web = row(rows, new PodKey("uid-web", "shop", "web-1", DEPLOY, WEB_NS));
        assertEquals(new Traffic(1307, 3, 130, 3), web.total());
        assertEquals(new Traffic(1007, 2, 100, 2), web.with(RemoteClass.EXTERNAL).total());
        assertEquals(new Traffic(300, 1, 30, 1), web.with(RemoteClass.SERVICE).total());
        assertEquals(1307.0, web.sentRate());

        AccountSnapshot agent = row(rows, new PodKey("uid-agent", "kube-system", "agent-x", new Workload("DaemonSet", "agent"), 0));
        assertEquals(50, agent.sentBytes(), "a hostNetwork pod is its own by cgroup, not the node's");
        assertEquals(5, rows.size(), "web, agent, the Docker container, the host process, the retired: " + rows);
        assertTrue(rows.stream().anyMatch(a -> a.isProcess() && a.pid() == 5), "host processes pass through");
    }

    @Test
    void namespacesAndWorkloadsCountTheirDeletedPodsToo() {
        List<AccountSnapshot> namespaces = PodAccounts.namespaces(pods());
        AccountSnapshot shop = row(namespaces, new NamespaceKey("shop"));
        assertEquals(1307 + 5000, shop.sentBytes(), "live and deleted pods");
        assertEquals(new Traffic(6007, 3, 600, 3), shop.with(RemoteClass.EXTERNAL).total());
        assertEquals(50, row(namespaces, new NamespaceKey("kube-system")).sentBytes());

        List<AccountSnapshot> workloads = PodAccounts.workloads(pods());
        assertEquals(6307, row(workloads, new WorkloadKey("shop", DEPLOY)).sentBytes());
        assertEquals(50, row(workloads, new WorkloadKey("kube-system", new Workload("DaemonSet", "agent"))).sentBytes());
    }
}
