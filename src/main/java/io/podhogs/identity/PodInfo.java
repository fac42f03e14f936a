package io.podhogs.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the API says about one pod of this node, as podhogs shows it.
 *
 * @param containerNames container ID (the runtime's hex ID, without "containerd://") to the name
 *     in the pod spec, for init, ordinary and ephemeral containers
 * @param podIps the pod's addresses; empty for hostNetwork pods, whose addresses are the node's,
 *     and for pods that ran to their end (Succeeded, Failed), whose addresses may be another's now
 * @param deletedAt when the API stopped listing it, or null while it exists: a deleted pod is kept
 *     for a grace period so that its totals do not vanish between two looks
 */
public record PodInfo(String uid, String namespace, String name, String node, Map<String, String> labels,
                      Workload workload, boolean hostNetwork, List<String> podIps,
                      Map<String, String> containerNames, Instant deletedAt) {
    public PodInfo {
        labels = Map.copyOf(labels);
        podIps = List.copyOf(podIps);
        containerNames = Map.copyOf(containerNames);
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    /** This pod as deleted at {@code when}: the cluster's watch keeps it so for its grace period. */
    public PodInfo deletedAt(Instant when) {
        return new PodInfo(uid, namespace, name, node, labels, workload, hostNetwork, podIps, containerNames, when);
    }

    /** "namespace/name". */
    public String qualifiedName() {
        return namespace + "/" + name;
    }
}
