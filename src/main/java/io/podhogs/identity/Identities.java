package io.podhogs.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names for what the cgroups say: Docker's, when its socket is there (DOCKER_HOST if it is a
 * unix:// one, else /var/run/docker.sock), and the Kubernetes API's, when this host is configured
 * for a cluster (service account, KUBECONFIG, ~/.kube/config). Neither is an error when absent:
 * containers are then shown by runtime and ID, and no pods.
 */
public final class Identities implements IdentityLookup, AutoCloseable {
    private final DockerContainers docker;
    private final ClusterWatch cluster;

    private Identities(DockerContainers docker, ClusterWatch cluster) {
        this.docker = docker;
        this.cluster = cluster;
    }

    public static Identities none() {
        return new Identities(null, null);
    }

    /**
     * Docker's names when its socket is there, and the cluster's.
     *
     * @param cluster the cluster's watches, already started, or null when there is no cluster;
     *     closed with these identities
     */
    public static Identities ofThisHost(ClusterWatch cluster) {
        String host = System.getenv("DOCKER_HOST");
        String socket = host != null && host.startsWith("unix://") ? host.substring("unix://".length())
                : "/var/run/docker.sock";
        DockerContainers docker = Files.exists(Path.of(socket)) ? DockerContainers.follow(socket) : null;
        return new Identities(docker, cluster);
    }

    public ClusterView cluster() {
        return cluster == null ? ClusterView.NONE : cluster;
    }

    public boolean hasCluster() {
        return cluster != null;
    }

    /**
     * The container's name, or null when nobody named it: "namespace/pod/container" from the pod
     * spec, else the runtime's.
     */
    public String name(String containerId) {
        PodDirectory pods = pods();
        String inPod = pods.containerName(containerId);
        if (inPod != null) {
            return pods.byContainerId(containerId).map(p -> p.qualifiedName() + "/" + inPod).orElse(inPod);
        }
        return container(containerId).map(ContainerInfo::name).orElse(null);
    }

    /** The container's name, else its runtime and short ID ("docker:00e135ce289b"). */
    public String label(CgroupIdentity container) {
        String name = name(container.containerId());
        return name != null && !name.isEmpty() ? name : container.shortLabel();
    }

    @Override
    public Optional<ContainerInfo> container(String containerId) {
        return docker == null ? Optional.empty() : docker.byId(containerId);
    }

    @Override
    public PodDirectory pods() {
        return cluster().pods();
    }

    @Override
    public void close() {
        if (docker != null) {
            docker.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
