package io.podhogs.export;

import io.podhogs.accounting.NamespaceKey;
import io.podhogs.accounting.PodKey;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.accounting.WorkloadKey;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.Workload;
import io.podhogs.identity.ContainerInfo;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes side of one row, whatever its level: a process's or container's pod (by its
 * cgroup), a pod's own, a namespace's or workload's name. Empty strings where the level or the
 * cluster does not say.
 *
 * @param container the container's name in the pod spec; outside pods, the runtime's name for it
 *     (Docker's), else its runtime and short ID
 * @param labels the pod's labels, for rows of one pod
 */
public record PodFields(String namespace, String pod, String podUid, String container, Workload workload, String node,
                        Map<String, String> labels) {
    public static final PodFields NONE = new PodFields("", "", "", "", null, "", Map.of());

    public static PodFields of(AccountSnapshot a, IdentityLookup identity) {
        if (a.key() instanceof PodKey p) {
            Optional<PodInfo> info = identity.pods().byUid(p.uid());
            return new PodFields(p.namespace(), p.podName(), p.uid(), "", p.workload(),
                    info.map(PodInfo::node).orElse(""), info.map(PodInfo::labels).orElse(Map.of()));
        }
        if (a.key() instanceof NamespaceKey n) {
            return new PodFields(n.namespace(), "", "", "", null, "", Map.of());
        }
        if (a.key() instanceof WorkloadKey w) {
            return new PodFields(w.namespace(), "", "", "", w.workload(), "", Map.of());
        }
        if (a.key() instanceof RetiredPodsKey r) {
            return new PodFields(r.namespace(), "", "", "", r.workload(), "", Map.of());
        }
        return of(a.cgroup(), identity);
    }

    /** The pod fields of whatever runs in {@code cgroup}. */
    public static PodFields of(CgroupIdentity cgroup, IdentityLookup identity) {
        if (!cgroup.inContainer() && !cgroup.inPod()) {
            return NONE;
        }
        return identity.pods().pod(cgroup.podUid(), cgroup.containerId())
                .map(p -> new PodFields(p.namespace(), p.name(), p.uid(), containerName(p, cgroup), p.workload(), p.node(),
                        p.labels()))
                .orElseGet(() -> new PodFields("", "", cgroup.podUid(), runtimeName(cgroup, identity), null, "", Map.of()));
    }

    private static String runtimeName(CgroupIdentity cgroup, IdentityLookup identity) {
        if (!cgroup.inContainer()) {
            return "";
        }
        return identity.container(cgroup.containerId()).map(ContainerInfo::name)
                .filter(name -> !name.isEmpty()).orElse(cgroup.shortLabel());
    }

    private static String containerName(PodInfo pod, CgroupIdentity cgroup) {
        return pod.containerNames().getOrDefault(cgroup.containerId(), "");
    }

    public String workloadKind() {
        return workload == null ? "" : workload.kind();
    }

    public String workloadName() {
        return workload == null ? "" : workload.name();
    }
}
