package io.podhogs.node;

import io.podhogs.host.HostFiles;
import io.podhogs.identity.Cidr;
import io.podhogs.identity.kubernetes.KubernetesOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether and how to name pods, as the command line or the agent's settings say it: checked and
 * turned into the Kubernetes watch's options by {@link #options}.
 *
 * @param mode auto (the cluster this host is configured for, when there is one) or off
 * @param nodeName this node's name as given; empty: NODE_NAME, else the host name
 * @param podCidrs the cluster's pod ranges where the nodes' spec.podCIDRs do not tell, unparsed
 * @param serviceCidrs the Service ranges where no ServiceCIDR object tells, unparsed
 * @param podGrace how long a deleted pod keeps its own row
 */
public record ClusterSettings(String mode, Optional<String> nodeName, List<String> podCidrs,
                              List<String> serviceCidrs, boolean clusterPodIndex, Duration podGrace) {
    public ClusterSettings {
        podCidrs = List.copyOf(podCidrs);
        serviceCidrs = List.copyOf(serviceCidrs);
    }

    /**
     * The cluster's options, or empty when Kubernetes is off. Checks every setting, the ranges too
     * when Kubernetes is off, without asking any server.
     *
     * @throws IllegalArgumentException for a setting that cannot be used, naming it
     */
    public Optional<KubernetesOptions> options(HostFiles host, SettingNames names) {
        if (!mode.equals("auto") && !mode.equals("off")) {
            throw new IllegalArgumentException(names.kubernetes() + " is auto or off, not " + mode);
        }
        List<Cidr> pods = cidrs(names.podCidrs(), podCidrs);
        List<Cidr> services = cidrs(names.serviceCidrs(), serviceCidrs);
        if (mode.equals("off")) {
            return Optional.empty();
        }
        return Optional.of(new KubernetesOptions(nodeName(host), pods, services, clusterPodIndex, podGrace,
                KubernetesOptions.DEFAULT_RESYNC));
    }

    /**
     * The node's name: the one given, else NODE_NAME (the downward API), else the host's name, as
     * kubelet names nodes. The metrics carry it with or without a cluster.
     */
    public String nodeName(HostFiles host) {
        return nodeName(nodeName, System.getenv("NODE_NAME"), host);
    }

    /** @param fromEnvironment NODE_NAME's value, or null */
    static String nodeName(Optional<String> given, String fromEnvironment, HostFiles host) {
        String node = given.filter(n -> !n.isBlank()).orElse(fromEnvironment);
        if (node == null || node.isBlank()) {
            node = host.read(host.proc("sys", "kernel", "hostname")).orElse("").trim().toLowerCase(Locale.ROOT);
        }
        return node;
    }

    private static List<Cidr> cidrs(String setting, List<String> values) {
        try {
            return values.stream().map(Cidr::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage());
        }
    }
}
