package io.podhogs.cli;

import io.podhogs.identity.ContainerInfo;
import io.podhogs.identity.DockerContainers;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runtime's names of this host's containers: Docker's, when its socket is there (DOCKER_HOST
 * if it is a unix:// one, else /var/run/docker.sock); none on a host without Docker, which is no
 * error: containers are then shown by runtime and ID.
 */
final class ContainerNames implements AutoCloseable {
    private final DockerContainers docker;

    private ContainerNames(DockerContainers docker) {
        this.docker = docker;
    }

    static ContainerNames none() {
        return new ContainerNames(null);
    }

    static ContainerNames ofThisHost() {
        String host = System.getenv("DOCKER_HOST");
        String socket = host != null && host.startsWith("unix://") ? host.substring("unix://".length())
                : "/var/run/docker.sock";
        return new ContainerNames(Files.exists(Path.of(socket)) ? DockerContainers.follow(socket) : null);
    }

    /** The container's name, or null when no runtime named it. */
    String name(String containerId) {
        return info(containerId).map(ContainerInfo::name).orElse(null);
    }

    /** The runtime's name of the container, else its runtime and short ID ("docker:00e135ce289b"). */
    String label(io.podhogs.identity.CgroupIdentity container) {
        String name = name(container.containerId());
        if (name != null && !name.isEmpty()) {
            return name;
        }
        return container.shortLabel();
    }

    java.util.Optional<ContainerInfo> info(String containerId) {
        return docker == null ? java.util.Optional.empty() : docker.byId(containerId);
    }

    @Override
    public void close() {
        if (docker != null) {
            docker.close();
        }
    }
}
