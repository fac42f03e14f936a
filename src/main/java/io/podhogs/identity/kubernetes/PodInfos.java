package io.podhogs.identity.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Reads the parts of a Pod object podhogs uses; missing fields (a pod not yet scheduled) are empty. */
final class PodInfos {
    private PodInfos() {
    }

    static PodInfo of(Pod pod, Workload workload) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        PodStatus status = pod.getStatus();
        boolean hostNetwork = spec != null && Boolean.TRUE.equals(spec.getHostNetwork());
        List<String> ips = new ArrayList<>();
        Map<String, String> containers = new HashMap<>();
        if (status != null) {
            // A pod that ran to its end keeps its IP in its status, though it may be another pod's now.
            boolean finished = "Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase());
            if (!hostNetwork && !finished) {
                if (status.getPodIPs() != null && !status.getPodIPs().isEmpty()) {
                    status.getPodIPs().stream().map(PodIP::getIp).filter(Objects::nonNull).forEach(ips::add);
                } else if (status.getPodIP() != null) {
                    ips.add(status.getPodIP());
                }
            }
            for (List<ContainerStatus> statuses : List.of(orEmpty(status.getInitContainerStatuses()),
                    orEmpty(status.getContainerStatuses()), orEmpty(status.getEphemeralContainerStatuses()))) {
                for (ContainerStatus c : statuses) {
                    String id = containerId(c.getContainerID());
                    if (!id.isEmpty() && c.getName() != null) {
                        containers.put(id, c.getName());
                    }
                }
            }
        }
        return new PodInfo(meta.getUid(), meta.getNamespace(), meta.getName(),
                spec == null || spec.getNodeName() == null ? "" : spec.getNodeName(),
                labels(meta.getLabels()), workload, hostNetwork, ips, containers, null);
    }

    /**
     * The runtime's ID in a status's "containerd://0a1b...", "cri-o://...", "docker://..." form,
     * lower case as cgroup paths have it; "" for a container not started yet.
     */
    static String containerId(String statusId) {
        if (statusId == null) {
            return "";
        }
        int scheme = statusId.indexOf("://");
        return (scheme < 0 ? statusId : statusId.substring(scheme + 3)).toLowerCase(Locale.ROOT);
    }

    /** Labels without the null keys or values a hand-made object could carry (Map.copyOf refuses them). */
    private static Map<String, String> labels(Map<String, String> labels) {
        Map<String, String> clean = new HashMap<>();
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (k != null && v != null) {
                    clean.put(k, v);
                }
            });
        }
        return clean;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
