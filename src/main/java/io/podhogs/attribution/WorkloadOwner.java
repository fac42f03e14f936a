package io.podhogs.attribution;

import io.podhogs.identity.Workload;

/** A workload (Deployment, StatefulSet ...) as an account level: the sum of its pods, deleted ones included. */
public record WorkloadOwner(String namespace, Workload workload) implements Owner {
    @Override
    public String name() {
        return namespace + "/" + workload;
    }

    @Override
    public long netns() {
        return -1;
    }
}
