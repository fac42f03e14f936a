package io.podhogs.accounting;

import io.podhogs.identity.Workload;

/** A workload (Deployment, StatefulSet ...): the sum of its pods, deleted ones included. */
public record WorkloadKey(String namespace, Workload workload) implements AccountKey {
    @Override
    public String name() {
        return namespace + "/" + workload;
    }

    @Override
    public long netns() {
        return -1;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.WORKLOAD;
    }
}
