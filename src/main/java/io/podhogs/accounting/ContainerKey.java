package io.podhogs.accounting;

import io.podhogs.identity.CgroupIdentity;

/**
 * A container: the sum of its process accounts and of the traffic of its network namespace that
 * no process took ({@link ContainerAccounts} makes them).
 *
 * @param cgroup the runtime, ID, pod UID and QoS class its processes' cgroups name
 * @param name the runtime's name for it, or the runtime and the ID's first 12 digits
 * @param netns the container's network namespace, 0 for one that uses the host's
 */
public record ContainerKey(CgroupIdentity cgroup, String name, long netns) implements AccountKey {
    @Override
    public AccountKind kind() {
        return AccountKind.CONTAINER;
    }
}
