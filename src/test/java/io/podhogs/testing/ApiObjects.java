package io.podhogs.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDR;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRBuilder;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Kubernetes API objects as kubelet and the controllers write them, with only what podhogs reads. */
public final class ApiObjects {
    private ApiObjects() {
    }

    /** One container of a pod: its name and the runtime's ID in the status's "containerd://..." form. */
    public record Container(String name, String statusId) {
    }

    /**
     * A running pod on {@code node}.
     *
     * @param ownerKind the controller's kind (ReplicaSet, StatefulSet ...), or null for a bare pod
     */
    public static Pod pod(String uid, String namespace, String name, String node, Map<String, String> labels,
                          String ownerKind, String ownerName, List<String> ips, List<Container> containers) {
        PodBuilder b = new PodBuilder()
                .withNewMetadata().withUid(uid).withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running")
                .withPodIP(ips.isEmpty() ? null : ips.get(0))
                .withPodIPs(ips.stream().map(ip -> new PodIPBuilder().withIp(ip).build()).toList())
                .withContainerStatuses(containers.stream().map(c -> new ContainerStatusBuilder().withName(c.name())
                        .withContainerID(c.statusId()).withReady(true).build()).toList())
                .endStatus();
        if (ownerKind != null) {
            b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(ownerKind)
                    .withName(ownerName).withUid(UUID.nameUUIDFromBytes((namespace + ownerName).getBytes()).toString())
                    .withController(true).build()).endMetadata();
        }
        return b.build();
    }

    /** A pod in the node's network namespace: no pod IPs of its own. */
    public static Pod hostNetworkPod(String uid, String namespace, String name, String node, List<Container> containers) {
        Pod p = pod(uid, namespace, name, node, Map.of("app", name), "DaemonSet", name, List.of(), containers);
        p.getSpec().setHostNetwork(true);
        return p;
    }

    public static Node node(String name, String internalIp, String... podCidrs) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDRs(podCidrs).withPodCIDR(podCidrs.length > 0 ? podCidrs[0] : null).endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus()
                .build();
    }

    public static ServiceCIDR serviceCidr(String name, String... cidrs) {
        return new ServiceCIDRBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withCidrs(cidrs).endSpec().build();
    }

    public static Service service(String namespace, String name, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withClusterIPs(clusterIp).endSpec().build();
    }
}
