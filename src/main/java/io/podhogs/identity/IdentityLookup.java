package io.podhogs.identity;

import java.util.Optional;

/** What the views may ask about the identity of a row: the container runtime's and the cluster's answers. */
public interface IdentityLookup {
    IdentityLookup NONE = new IdentityLookup() {
        @Override
        public Optional<ContainerInfo> container(String containerId) {
            return Optional.empty();
        }

        @Override
        public PodDirectory pods() {
            return PodDirectory.EMPTY;
        }
    };

    /** What the container runtime (Docker) says of a container ID. */
    Optional<ContainerInfo> container(String containerId);

    /** This node's pods as the cluster last said; empty without one. */
    PodDirectory pods();
}
