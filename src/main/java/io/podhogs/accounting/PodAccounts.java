package io.podhogs.accounting;

import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes levels above containers: pods, then namespaces and workloads. Each is a sum of
 * the level below, so totals never go down while the accounts under them stay; deleted pods past
 * their grace period are already folded into {@link RetiredPodsKey} accounts by the ledger,
 * which count in their namespace and workload. Accounts outside pods (host processes, plain Docker
 * containers, unknown traffic) are passed through as they are.
 */
public final class PodAccounts {
    private PodAccounts() {
    }

    /**
     * Sums container accounts ({@link ContainerAccounts#group}'s) into their pods: by the pod UID
     * their cgroup names, else by their container ID in the pods' statuses.
     */
    public static List<AccountSnapshot> pods(List<AccountSnapshot> containers, PodDirectory pods) {
        return AccountSums.regroup(containers,
                a -> a.key() instanceof ContainerKey c ? podUid(c.cgroup(), pods) : null,
                a -> {
                    ContainerKey c = (ContainerKey) a.key();
                    String uid = podUid(c.cgroup(), pods);
                    Optional<PodInfo> info = pods.byUid(uid);
                    return info.map(p -> new PodKey(uid, p.namespace(), p.name(), p.workload(), c.netns()))
                            .orElse(new PodKey(uid, "", "", null, c.netns()));
                });
    }

    private static String podUid(CgroupIdentity container, PodDirectory pods) {
        if (container.inPod()) {
            return container.podUid();
        }
        return pods.byContainerId(container.containerId()).map(PodInfo::uid).orElse(null);
    }

    /** Sums pod accounts ({@link #pods}'s, and retired pods') into their namespaces. */
    public static List<AccountSnapshot> namespaces(List<AccountSnapshot> podLevel) {
        return AccountSums.regroup(podLevel, PodAccounts::namespaceOf, a -> new NamespaceKey(namespaceOf(a)));
    }

    /** Sums pod accounts ({@link #pods}'s, and retired pods') into their workloads. */
    public static List<AccountSnapshot> workloads(List<AccountSnapshot> podLevel) {
        return AccountSums.regroup(podLevel,
                a -> {
                    WorkloadKey w = workloadOf(a);
                    return w == null ? null : w.name();
                },
                PodAccounts::workloadOf);
    }

    /** A pod's or retired pods' workload, when known. */
    private static WorkloadKey workloadOf(AccountSnapshot a) {
        if (a.key() instanceof PodKey p && p.workload() != null) {
            return new WorkloadKey(p.namespace(), p.workload());
        }
        return a.key() instanceof RetiredPodsKey r && r.workload() != null ? new WorkloadKey(r.namespace(), r.workload())
                : null;
    }

    private static String namespaceOf(AccountSnapshot a) {
        if (a.key() instanceof PodKey p && !p.namespace().isEmpty()) {
            return p.namespace();
        }
        return a.key() instanceof RetiredPodsKey r ? r.namespace() : null;
    }
}
