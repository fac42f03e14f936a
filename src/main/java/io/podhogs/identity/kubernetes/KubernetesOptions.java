package io.podhogs.identity.kubernetes;

import io.podhogs.identity.Cidr;
import java.time.Duration;
import java.util.List;

/**
 * @param nodeName this node's name in the API (the downward API's spec.nodeName)
 * @param podCidrs the cluster's pod ranges where the nodes' spec.podCIDRs do not tell
 * @param serviceCidrs the Service ranges where no ServiceCIDR object tells (before Kubernetes 1.33)
 * @param clusterPodIndex watch every pod of the cluster to name other nodes' pods (memory and API
 *     load grow with the cluster: off by default)
 * @param deletedPodGrace how long a deleted pod keeps its accounts and names
 * @param resync how often the informers hand their whole store over again
 */
public record KubernetesOptions(String nodeName, List<Cidr> podCidrs, List<Cidr> serviceCidrs,
                                boolean clusterPodIndex, Duration deletedPodGrace, Duration resync) {
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);

    public KubernetesOptions {
        podCidrs = List.copyOf(podCidrs);
        serviceCidrs = List.copyOf(serviceCidrs);
    }

    public static KubernetesOptions forNode(String nodeName) {
        return new KubernetesOptions(nodeName, List.of(), List.of(), false, DEFAULT_GRACE, DEFAULT_RESYNC);
    }

    public KubernetesOptions withGrace(Duration grace) {
        return new KubernetesOptions(nodeName, podCidrs, serviceCidrs, clusterPodIndex, grace, resync);
    }
}
