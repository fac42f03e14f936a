package io.podhogs.accounting;

import io.podhogs.identity.CgroupIdentity;

/**
 * The totals of processes that exited and were idle longer than the retention: their accounts are
 * folded in here and forgotten, one such account per container (or the host) and network
 * namespace, so that memory stays bounded under process churn while no total above them goes down.
 *
 * @param cgroup the container and pod the processes were in ({@link CgroupIdentity#NONE}: the host)
 */
public record ExitedProcessesKey(CgroupIdentity cgroup, long netns) implements AccountKey {
    @Override
    public String name() {
        return "exited processes";
    }

    @Override
    public AccountKind kind() {
        return AccountKind.EXITED_PROCESSES;
    }
}
