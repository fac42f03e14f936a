package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.identity.IdentityLookup;
import io.podhogs.accounting.AccountKey;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.PodAccounts;
import io.podhogs.accounting.PodKey;
import io.podhogs.accounting.RemoteClassTraffic;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import io.podhogs.identity.Workload;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The top view's table for --by pod, namespace and workload: names, and the bytes outside and inside the cluster. */
class TopViewPodTableTest {
    private static final Workload WEB = new Workload("Deployment", "web");

    /** Totals in bytes: {@code external} and {@code cluster} of the sent and the received. */
    private static AccountSnapshot row(AccountKey key, long sent, long received, long external, long cluster) {
        Traffic t = new Traffic(sent, 1, received, 1);
        Map<RemoteClass, RemoteClassTraffic> classes = Map.of(
                RemoteClass.EXTERNAL, new RemoteClassTraffic(new Traffic(external, 1, 0, 0), 0, 0),
                RemoteClass.SERVICE, new RemoteClassTraffic(new Traffic(cluster / 2, 1, cluster / 2, 1), 0, 0),
                RemoteClass.LINK_LOCAL, new RemoteClassTraffic(new Traffic(0, 0, 99, 1), 0, 0));
        return new AccountSnapshot(key, Map.of(3, t), t, 0, 0, false, 0, 0, Map.of(RemotePeer.of(RemoteClass.EXTERNAL), t),
                classes);
    }

    private static EngineSnapshot snapshot() {
        return new EngineSnapshot(Instant.EPOCH, List.of(
                row(new PodKey("u1", "shop", "web-1", WEB, 41), 9000, 1000, 6000, 3000),
                row(new PodKey("u2", "shop", "web-2", WEB, 42), 2000, 500, 100, 2000),
                row(new RetiredPodsKey("shop", WEB), 700, 0, 700, 0),
                row(new OwnerKey(UnknownOwner.OTHER), 10, 10, 0, 0)),
                List.of(), Map.of(3, "veth1"), 2, 0, new ResolverStats(0, 0, 0, 0, 0, 0, 0, 2), "any", Map.of());
    }

    private static List<String> lines(Level level) {
        RowFormat format = new RowFormat(ViewMode.TOTAL_BYTES, false, false, false)
                .withGrouping(level, (accounts, s) -> switch (level) {
                    case NAMESPACE -> PodAccounts.namespaces(accounts);
                    case WORKLOAD -> PodAccounts.workloads(accounts);
                    default -> accounts;
                });
        return new TopView(null, new UserNames(HostFiles.system()), "podhogs", format, IdentityLookup.NONE).lines(snapshot(), 140, 20);
    }

    private static String rowOf(List<String> lines, String start) {
        return lines.stream().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + start + " in\n" + String.join("\n", lines)));
    }

    @Test
    void podsShowTheirNamespaceWorkloadAndTheBytesOutsideAndInsideTheCluster() {
        List<String> lines = lines(Level.POD);
        assertTrue(lines.get(3).matches("^NAMESPACE +POD +WORKLOAD +SENT B +RECEIVED B +EXTERNAL +CLUSTER$"), lines.get(3));
        assertTrue(rowOf(lines, "shop            web-1 ").matches(".* Deployment/web +9000 +1000 +6000 +3000$"),
                () -> String.join("\n", lines));
        assertTrue(rowOf(lines, "shop            (deleted pods)").matches(".* Deployment/web +700 +0 +700 +0$"),
                () -> String.join("\n", lines));
        assertTrue(rowOf(lines, "                unknown other").matches(".* 10 +10 +0 +0$"), () -> String.join("\n", lines));
        assertTrue(rowOf(lines, "  TOTAL").matches("^  TOTAL +11710 +1510 +6800 +5000$"), rowOf(lines, "  TOTAL"));
    }

    @Test
    void namespacesAndWorkloadsCountTheirDeletedPods() {
        List<String> namespaces = lines(Level.NAMESPACE);
        assertTrue(namespaces.get(3).matches("^NAMESPACE +SENT B +RECEIVED B +EXTERNAL +CLUSTER$"), namespaces.get(3));
        assertTrue(rowOf(namespaces, "shop ").matches("^shop +11700 +1500 +6800 +5000$"), () -> String.join("\n", namespaces));

        List<String> workloads = lines(Level.WORKLOAD);
        assertEquals("shop", rowOf(workloads, "shop ").substring(0, 4));
        assertTrue(rowOf(workloads, "shop ").matches("^shop +Deployment/web +11700 +1500 +6800 +5000$"),
                () -> String.join("\n", workloads));
    }
}
