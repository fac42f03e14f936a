package io.podhogs.identity;

import io.podhogs.identity.kubernetes.KubernetesIdentity;
import io.podhogs.identity.kubernetes.KubernetesOptions;
import io.podhogs.identity.kubernetes.PodDirectory;
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
    private static final java.time.Duration FIRST_LISTS = java.time.Duration.ofSeconds(5);

    private final DockerContainers docker;
    private final KubernetesIdentity kubernetes;

    private Identities(DockerContainers docker, KubernetesIdentity kubernetes) {
        this.docker = docker;
        this.kubernetes = kubernetes;
    }

    public static Identities none() {
        return new Identities(null, null);
    }

    /** @param cluster the cluster's options, or null to leave Kubernetes out */
    public static Identities ofThisHost(KubernetesOptions cluster) {
        String host = System.getenv("DOCKER_HOST");
        String socket = host != null && host.startsWith("unix://") ? host.substring("unix://".length())
                : "/var/run/docker.sock";
        DockerContainers docker = Files.exists(Path.of(socket)) ? DockerContainers.follow(socket) : null;
        KubernetesIdentity kubernetes = cluster == null ? null
                : KubernetesIdentity.connectIfConfigured(cluster).orElse(null);
        if (kubernetes != null) {
            try {
                // Bytes counted before the cluster's first lists could not be classified: wait a
                // little for them; an API server that does not answer has already said so in the log.
                kubernetes.awaitFirstLists(FIRST_LISTS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Identities(docker, kubernetes);
    }

    public ClusterView cluster() {
        return kubernetes == null ? ClusterView.NONE : kubernetes;
    }

    public boolean hasCluster() {
        return kubernetes != null;
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
        if (kubernetes != null) {
            kubernetes.close();
        }
    }
}
