package io.podhogs.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.RemoteClassTraffic;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.HistorySink;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ContainerInfo;
import io.podhogs.apps.AppRulesFile;
import io.podhogs.apps.Applications;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.QosClass;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One drain, three processes (the host's, a Docker container's, a pod's): the rows at each level,
 * each level summing to the same bytes, remote classes kept, and a pod the cluster has forgotten
 * (deleted since) still named by what was seen of it.
 */
class DrainKeysTest {
    private static final String DOCKER_ID = "a".repeat(64);
    private static final String POD_CONTAINER_ID = "b".repeat(64);
    private static final PodInfo WEB = new PodInfo("uid-1", "shop", "web-7d9f", "node-1", Map.of(),
            new Workload("Deployment", "web"), false, List.of("10.0.0.5"), Map.of(POD_CONTAINER_ID, "nginx"), null);

    private static AccountSnapshot process(int pid, String program, int uid, CgroupIdentity cgroup, Traffic t,
                                           Map<RemoteClass, RemoteClassTraffic> byClass) {
        ProcessOwner p = new ProcessOwner(new ProcessInfo(pid, pid, uid, program, program, program, cgroup));
        return new AccountSnapshot(new OwnerKey(p), Map.of(), t, 0, 0, false, 0, 0, Map.of(), byClass);
    }

    private static final HistorySink.Drain DRAIN = new HistorySink.Drain(Instant.parse("2026-12-05T10:00:00Z"), List.of(
            process(1, "/usr/sbin/sshd", 0, CgroupIdentity.NONE, new Traffic(100, 1, 200, 2), Map.of()),
            process(2, "/usr/bin/redis-server", 999, new CgroupIdentity("docker", DOCKER_ID, "", QosClass.NONE),
                    new Traffic(1_000, 10, 2_000, 20), Map.of()),
            process(3, "/usr/sbin/nginx", 101, new CgroupIdentity("containerd", POD_CONTAINER_ID, "uid-1", QosClass.BURSTABLE),
                    new Traffic(10_000, 100, 20_000, 200), Map.of(RemoteClass.EXTERNAL,
                            new RemoteClassTraffic(new Traffic(9_000, 90, 18_000, 180), 0, 0)))), Map.of());

    private static Map<HistoryKey, Map<String, Traffic>> rows(DrainKeys keys) {
        Map<HistoryKey, Map<String, Traffic>> rows = new LinkedHashMap<>();
        keys.rows(DRAIN, (k, t) -> rows.merge(k, new TreeMap<>(t), (a, b) -> {
            b.forEach((c, x) -> a.merge(c, x, Traffic::plus));
            return a;
        }));
        return rows;
    }

    /** Docker's redis container, named cache, and the web pod. */
    private static IdentityLookup dockerAndWeb() {
        return new IdentityLookup() {
            @Override
            public Optional<ContainerInfo> container(String id) {
                return id.equals(DOCKER_ID) ? Optional.of(new ContainerInfo(id, "cache", "redis:7", Map.of(), "running"))
                        : Optional.empty();
            }

            @Override
            public PodDirectory pods() {
                return new PodDirectory(List.of(WEB), true, Duration.ofMinutes(5));
            }
        };
    }

    @Test
    void everyLevelNamesItsKeysAndSumsToTheSameBytes() {
        IdentityLookup identity = dockerAndWeb();
        Map<HistoryKey, Map<String, Traffic>> rows = rows(new DrainKeys(identity,
                id -> id.equals(DOCKER_ID) ? "cache" : null, uid -> uid == 0 ? "root" : "uid" + uid, Applications::automatic));
        Map<String, Traffic> pods = Map.of("", new Traffic(1_000, 10, 2_000, 20), "external", new Traffic(9_000, 90, 18_000, 180));
        Map<HistoryKey, Map<String, Traffic>> expected = new LinkedHashMap<>();
        expected.put(HistoryKey.program("/usr/sbin/sshd", "root"), Map.of("", new Traffic(100, 1, 200, 2)));
        expected.put(HistoryKey.program("/usr/bin/redis-server", "uid999"), Map.of("", new Traffic(1_000, 10, 2_000, 20)));
        expected.put(HistoryKey.program("/usr/sbin/nginx", "uid101"), pods);
        expected.put(HistoryKey.outside(HistoryLevel.CONTAINER), Map.of("", new Traffic(100, 1, 200, 2)));
        expected.put(HistoryKey.container("cache", "redis:7", "", ""), Map.of("", new Traffic(1_000, 10, 2_000, 20)));
        expected.put(HistoryKey.container("nginx", "", "shop", "web-7d9f"), pods);
        expected.put(HistoryKey.outside(HistoryLevel.POD), Map.of("", new Traffic(1_100, 11, 2_200, 22)));
        expected.put(HistoryKey.pod("shop", "web-7d9f", "Deployment/web"), pods);
        expected.put(HistoryKey.outside(HistoryLevel.NAMESPACE), Map.of("", new Traffic(1_100, 11, 2_200, 22)));
        expected.put(HistoryKey.namespace("shop"), pods);
        // Automatic applications: programs by base name, the pod by its workload in its namespace.
        expected.put(HistoryKey.app("sshd"), Map.of("", new Traffic(100, 1, 200, 2)));
        expected.put(HistoryKey.app("redis-server"), Map.of("", new Traffic(1_000, 10, 2_000, 20)));
        expected.put(HistoryKey.app("shop/web"), pods);
        assertEquals(expected.keySet(), rows.keySet());
        expected.forEach((k, t) -> assertEquals(new TreeMap<>(t), rows.get(k), k.toString()));
    }

    @Test
    void applicationsOfARulesFileAndOneRowOfWhatNoneNames() throws Exception {
        Applications rules = new Applications(AppRulesFile.parse("apps.yaml", """
                apps:
                  - name: web-stack
                    rules:
                      - match: nginx
                      - containers: "redis:"
                unmatched: own
                """, name -> OptionalInt.empty(), true));
        IdentityLookup identity = dockerAndWeb();
        Map<HistoryKey, Map<String, Traffic>> rows = rows(new DrainKeys(identity,
                id -> id.equals(DOCKER_ID) ? "cache" : null, uid -> "u", () -> rules));
        Map<HistoryKey, Map<String, Traffic>> apps = new TreeMap<>(java.util.Comparator.comparing(HistoryKey::name));
        rows.forEach((k, t) -> {
            if (k.level() == HistoryLevel.APP) {
                apps.put(k, t);
            }
        });
        assertEquals(Map.of(HistoryKey.app("web-stack"), Map.of("", new Traffic(2_000, 20, 4_000, 40),
                        "external", new Traffic(9_000, 90, 18_000, 180)),
                HistoryKey.outside(HistoryLevel.APP), Map.of("", new Traffic(100, 1, 200, 2))), apps,
                "sshd is in no application: its own row would be a program's, so it is summed in '(no app)'");
    }

    @Test
    void aPodTheClusterHasForgottenKeepsTheNameItWasSeenWith() {
        PodDirectory[] now = {new PodDirectory(List.of(WEB), true, Duration.ofMinutes(5))};
        IdentityLookup identity = new IdentityLookup() {
            @Override
            public Optional<ContainerInfo> container(String id) {
                return Optional.empty();
            }

            @Override
            public PodDirectory pods() {
                return now[0];
            }
        };
        DrainKeys keys = new DrainKeys(identity, id -> null, uid -> "u", Applications::automatic);
        rows(keys); // seen while the pod is listed
        now[0] = PodDirectory.EMPTY; // deleted, its grace over: the cluster no longer names it
        assertEquals(true, rows(keys).containsKey(HistoryKey.pod("shop", "web-7d9f", "Deployment/web")),
                "its last bytes under its own name");
    }
}
