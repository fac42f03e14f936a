package io.podhogs.accounting;

import io.podhogs.attribution.ContainerOwner;
import io.podhogs.attribution.NamespaceOwner;
import io.podhogs.attribution.PodOwner;
import io.podhogs.attribution.RetiredPodsOwner;
import io.podhogs.attribution.WorkloadOwner;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes levels above containers: pods, then namespaces and workloads. Each is a sum of
 * the level below, so totals never go down while the accounts under them stay; deleted pods past
 * their grace period are already folded into {@link RetiredPodsOwner} accounts by the ledger,
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
                a -> a.owner() instanceof ContainerOwner c ? podUid(c.identity(), pods) : null,
                a -> {
                    ContainerOwner c = (ContainerOwner) a.owner();
                    String uid = podUid(c.identity(), pods);
                    Optional<PodInfo> info = pods.byUid(uid);
                    return info.map(p -> new PodOwner(uid, p.namespace(), p.name(), p.workload(), c.netns()))
                            .orElse(new PodOwner(uid, "", "", null, c.netns()));
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
        return AccountSums.regroup(podLevel, PodAccounts::namespaceOf, a -> new NamespaceOwner(namespaceOf(a)));
    }

    /** Sums pod accounts ({@link #pods}'s, and retired pods') into their workloads. */
    public static List<AccountSnapshot> workloads(List<AccountSnapshot> podLevel) {
        return AccountSums.regroup(podLevel,
                a -> a.owner() instanceof PodOwner p && p.workload() != null ? p.namespace() + "/" + p.workload()
                        : a.owner() instanceof RetiredPodsOwner r && r.workload() != null ? r.namespace() + "/" + r.workload()
                        : null,
                a -> a.owner() instanceof PodOwner p ? new WorkloadOwner(p.namespace(), p.workload())
                        : new WorkloadOwner(((RetiredPodsOwner) a.owner()).namespace(),
                        ((RetiredPodsOwner) a.owner()).workload()));
    }

    private static String namespaceOf(AccountSnapshot a) {
        if (a.owner() instanceof PodOwner p && !p.namespace().isEmpty()) {
            return p.namespace();
        }
        return a.owner() instanceof RetiredPodsOwner r ? r.namespace() : null;
    }
}
