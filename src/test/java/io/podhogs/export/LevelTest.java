package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.AccountKey;
import io.podhogs.accounting.AccountKind;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.apps.AppRules;
import io.podhogs.apps.Applications;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ContainerInfo;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.QosClass;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The top view's rows of one level ({@code --by}) are the exports' rows of that level. */
class LevelTest {
    private static final String APP = "a".repeat(64);
    private static final long NS = 4026532301L;
    private static final Workload DEPLOY = new Workload("Deployment", "web");
    private static final CgroupIdentity APP_CGROUP = new CgroupIdentity("containerd", APP, "uid-web", QosClass.BURSTABLE);
    private static final IdentityLookup CLUSTER = new IdentityLookup() {
        @Override
        public Optional<ContainerInfo> container(String containerId) {
            return Optional.empty();
        }

        @Override
        public PodDirectory pods() {
            return new PodDirectory(List.of(new PodInfo("uid-web", "shop", "web-1", "node-1", Map.of(), DEPLOY, false,
                    List.of("10.244.1.5"), Map.of(APP, "app"), null)), true, Duration.ofMinutes(5));
        }
    };

    private static AccountSnapshot account(AccountKey key, long sent) {
        Traffic t = new Traffic(sent, 1, sent, 1);
        return new AccountSnapshot(key, Map.of(3, t), t, 0, 0, false, 0, 0);
    }

    @Test
    void everyLevelGroupsAsTheExportsSumIt() {
        EngineSnapshot snapshot = new EngineSnapshot(Instant.EPOCH, List.of(
                account(new OwnerKey(new ProcessOwner(new ProcessInfo(1, 1, 0, "/bin/app", "app", "app", APP_CGROUP), NS)), 1000),
                account(new OwnerKey(UnknownOwner.of(6, NS)), 7),
                account(new RetiredPodsKey("shop", DEPLOY), 500),
                account(new OwnerKey(new ProcessOwner(new ProcessInfo(2, 2, 0, "/bin/sh", "sh", "sh", CgroupIdentity.NONE))), 3),
                account(new OwnerKey(UnknownOwner.OTHER), 2)),
                List.of(), Map.of(3, "veth1"), 2, 0, new ResolverStats(0, 0, 0, 0, 0, 0, 0, 2), "any",
                Map.of(NS, APP_CGROUP));
        Function<String, String> names = id -> null;
        Levels levels = Levels.of(snapshot, CLUSTER, names);
        assertEquals(levels.containers(), Level.CONTAINER.group(snapshot.accounts(), snapshot, names, CLUSTER, null));
        assertEquals(levels.pods(), Level.POD.group(snapshot.accounts(), snapshot, names, CLUSTER, null));
        assertEquals(levels.namespaces(), Level.NAMESPACE.group(snapshot.accounts(), snapshot, names, CLUSTER, null));
        assertEquals(levels.workloads(), Level.WORKLOAD.group(snapshot.accounts(), snapshot, names, CLUSTER, null));
        assertEquals(snapshot.accounts(), Level.PROCESS.group(snapshot.accounts(), snapshot, names, CLUSTER, null));
        List<AccountSnapshot> apps = Level.APP.group(snapshot.accounts(), snapshot, names, CLUSTER,
                new Applications(AppRules.auto(AppRules.DEFAULT_LABEL)));
        assertEquals(snapshot.accounts().stream().mapToLong(AccountSnapshot::sentBytes).sum(),
                apps.stream().mapToLong(AccountSnapshot::sentBytes).sum(), "applications hold every byte once");
        assertEquals(java.util.Set.of("sh"), apps.stream().filter(a -> a.key().kind() == AccountKind.APP
                && !a.key().name().contains("/")).map(a -> a.key().name()).collect(java.util.stream.Collectors.toSet()),
                "the host's process by its base name");
        assertEquals(1007, apps.stream().filter(a -> a.key().kind() == AccountKind.APP && a.key().name().startsWith("shop/"))
                .mapToLong(AccountSnapshot::sentBytes).sum(), "the pod's process and its namespace's other traffic");
        assertEquals(1507, levels.workloads().stream().mapToLong(AccountSnapshot::sentBytes).max().orElseThrow(),
                "the pod and its deleted pods in the workload");
    }
}
