package io.podhogs.attribution;

import io.podhogs.identity.CgroupIdentity;

/**
 * A container as an account level above its processes: never the owner of a flow, only of the
 * sums that group a container's process accounts and the traffic of its network namespace that no
 * process took (accounting.ContainerAccounts makes them).
 *
 * @param identity the runtime, ID, pod UID and QoS class its processes' cgroups name
 * @param name the runtime's name for it, or the runtime and the ID's first 12 digits
 * @param netns the container's network namespace, 0 for one that uses the host's
 */
public record ContainerOwner(CgroupIdentity identity, String name, long netns) implements Owner {
}
