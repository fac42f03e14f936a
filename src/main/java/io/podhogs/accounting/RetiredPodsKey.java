package io.podhogs.accounting;

import io.podhogs.identity.Workload;

/**
 * The totals of a workload's pods that were deleted longer ago than the grace period: their
 * accounts are folded in here and forgotten, so that memory stays bounded and no namespace's or
 * workload's total ever goes down.
 *
 * @param workload null for pods whose workload was never known
 */
public record RetiredPodsKey(String namespace, Workload workload) implements AccountKey {
    @Override
    public String name() {
        return "deleted pods of " + namespace + "/" + (workload == null ? "?" : workload);
    }

    @Override
    public long netns() {
        return -1;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.DELETED_PODS;
    }
}
