package io.podhogs.identity;

import java.util.Map;

/**
 * What the container runtime says about one container.
 *
 * @param id the full 64-digit ID
 * @param name its name, without Docker's leading '/'
 * @param image the image it was started from, as given (name:tag, or an ID)
 * @param labels its labels (com.docker.compose.project and .service among them)
 * @param state running, exited, ... or "removed" once the runtime no longer has it
 */
public record ContainerInfo(String id, String name, String image, Map<String, String> labels, String state) {
    public ContainerInfo {
        labels = Map.copyOf(labels);
    }

    ContainerInfo removed() {
        return new ContainerInfo(id, name, image, labels, "removed");
    }
}
