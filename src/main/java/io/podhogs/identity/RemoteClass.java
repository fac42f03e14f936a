package io.podhogs.identity;

/**
 * Where the other end of a flow is, as far as a Kubernetes cluster can tell: what egress bills and
 * "is this traffic inside the cluster" questions need. Checked in this order: an address the API
 * names exactly (a pod, a node, a Service's cluster IP), then the ranges (this node's and other
 * nodes' Pod CIDRs, Service CIDRs, configured ranges); anything else is outside the cluster.
 */
public enum RemoteClass {
    /** A pod running on this node (hostNetwork pods are their node). */
    SAME_NODE_POD("same_node_pod"),
    /** A pod on another node of the cluster. */
    OTHER_NODE_POD("other_node_pod"),
    /** A Service's cluster IP: the node's proxy sends it on to a backend pod. */
    SERVICE("service"),
    /** A node of the cluster (this one included, and its loopback): kubelet, hostNetwork pods. */
    NODE("node"),
    /**
     * Traffic that stays on the link whatever the cluster: link-local addresses (169.254/16,
     * fe80::/10; a cloud's metadata server, NodeLocal DNSCache), multicast (IPv6 neighbour
     * discovery, MLD), broadcast. Neither inside nor outside the cluster.
     */
    LINK_LOCAL("link_local"),
    /** Neither a pod, a Service nor a node: the internet, other networks, cloud APIs. */
    EXTERNAL("external");

    private final String label;

    RemoteClass(String label) {
        this.label = label;
    }

    /** A pod, a Service or a node: traffic that stays inside the cluster. */
    public boolean inCluster() {
        return this == SAME_NODE_POD || this == OTHER_NODE_POD || this == SERVICE || this == NODE;
    }

    /** The name in JSON, in metric labels and on the command line. */
    public String label() {
        return label;
    }
}
