package io.podhogs.identity.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDR;
import io.podhogs.identity.Cidr;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemoteClassifier;
import io.podhogs.identity.RemotePeer;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Builds the remote-address classifier from what the API lists. Named addresses first (this node's
 * pods, then other nodes' pods when the cluster-wide index is on, nodes, Services' cluster IPs),
 * then ranges: each node's spec.podCIDRs, the ServiceCIDR objects' ranges, and the ranges the
 * operator configured where the API does not tell (Calico IPAM, AWS VPC CNI set no podCIDRs).
 */
final class ClusterAddresses {
    private static final Logger LOG = Logger.getLogger(ClusterAddresses.class);

    private ClusterAddresses() {
    }

    /** What the classifier is built from; lists are empty for what is not watched. */
    record Sources(String nodeName, List<PodInfo> nodePods, List<Pod> clusterPods, List<Node> nodes,
                   List<Service> services, List<ServiceCIDR> serviceCidrs, List<Cidr> configuredPodCidrs,
                   List<Cidr> configuredServiceCidrs) {
    }

    static RemoteClassifier classifier(long version, Sources s) {
        RemoteClassifier.Builder b = RemoteClassifier.builder(version);
        for (PodInfo p : s.nodePods()) {
            if (!p.hostNetwork() && !p.deleted()) {
                p.podIps().forEach(ip -> b.address(ip, new RemotePeer(RemoteClass.SAME_NODE_POD, p.namespace(), p.name())));
            }
        }
        for (Pod p : s.clusterPods()) {
            if (p.getSpec() == null || Boolean.TRUE.equals(p.getSpec().getHostNetwork()) || p.getStatus() == null
                    || finished(p)) {
                continue;
            }
            RemoteClass c = s.nodeName().equals(p.getSpec().getNodeName()) ? RemoteClass.SAME_NODE_POD
                    : RemoteClass.OTHER_NODE_POD;
            RemotePeer peer = new RemotePeer(c, p.getMetadata().getNamespace(), p.getMetadata().getName());
            if (p.getStatus().getPodIPs() != null && !p.getStatus().getPodIPs().isEmpty()) {
                p.getStatus().getPodIPs().forEach(ip -> b.address(ip.getIp(), peer));
            } else if (p.getStatus().getPodIP() != null) {
                b.address(p.getStatus().getPodIP(), peer);
            }
        }
        for (Node n : s.nodes()) {
            String name = n.getMetadata().getName();
            RemotePeer peer = new RemotePeer(RemoteClass.NODE, "", name);
            if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
                for (NodeAddress a : n.getStatus().getAddresses()) {
                    if (a.getType() != null && a.getType().endsWith("IP")) { // InternalIP, ExternalIP; not Hostname
                        b.address(a.getAddress(), peer);
                    }
                }
            }
            RemotePeer pods = RemotePeer.of(name.equals(s.nodeName()) ? RemoteClass.SAME_NODE_POD
                    : RemoteClass.OTHER_NODE_POD);
            for (String cidr : podCidrs(n)) {
                range(b, cidr, pods, "node " + name);
            }
        }
        for (Service svc : s.services()) {
            var spec = svc.getSpec();
            if (spec == null) {
                continue;
            }
            List<String> ips = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty() ? spec.getClusterIPs()
                    : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
            RemotePeer peer = new RemotePeer(RemoteClass.SERVICE, svc.getMetadata().getNamespace(),
                    svc.getMetadata().getName());
            ips.stream().filter(ip -> !ip.equals("None")).forEach(ip -> b.address(ip, peer));
        }
        RemotePeer service = RemotePeer.of(RemoteClass.SERVICE);
        for (ServiceCIDR c : s.serviceCidrs()) {
            if (c.getSpec() != null && c.getSpec().getCidrs() != null) {
                c.getSpec().getCidrs().forEach(cidr -> range(b, cidr, service, "ServiceCIDR " + c.getMetadata().getName()));
            }
        }
        s.configuredServiceCidrs().forEach(c -> b.range(c, service));
        s.configuredPodCidrs().forEach(c -> b.range(c, RemotePeer.of(RemoteClass.OTHER_NODE_POD)));
        return b.build();
    }

    /** A pod that ran to its end keeps its IP in its status, though the IP may be another pod's now. */
    private static boolean finished(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static List<String> podCidrs(Node n) {
        if (n.getSpec() == null) {
            return List.of();
        }
        List<String> cidrs = new ArrayList<>();
        if (n.getSpec().getPodCIDRs() != null) {
            cidrs.addAll(n.getSpec().getPodCIDRs());
        }
        if (cidrs.isEmpty() && n.getSpec().getPodCIDR() != null) {
            cidrs.add(n.getSpec().getPodCIDR());
        }
        return cidrs;
    }

    private static void range(RemoteClassifier.Builder b, String cidr, RemotePeer peer, String where) {
        try {
            b.range(Cidr.parse(cidr), peer);
        } catch (IllegalArgumentException e) {
            LOG.debugf("ignoring %s of %s: %s", cidr, where, e.getMessage());
        }
    }
}
