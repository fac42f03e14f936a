package io.podhogs.accounting;

import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.CgroupIdentity;

/**
 * What an account's totals are kept under. The ledger keeps accounts of the owners of flows
 * ({@link OwnerKey}) and of what their accounts are folded into when they go ({@link
 * ExitedProcessesKey}, {@link RetiredPodsKey}); {@link RollUp} sums them into containers, pods,
 * namespaces and workloads, which no flow ever owns; applications are {@link AppKey}s; what a
 * filter leaves out is summed under {@link FilteredKey}.
 */
public sealed interface AccountKey permits OwnerKey, ExitedProcessesKey, RetiredPodsKey, ContainerKey, PodKey,
        NamespaceKey, WorkloadKey, AppKey, FilteredKey, InterfaceKey, ConnectionKey, PortKey {
    /** The name shown for the account ("/usr/bin/curl", "unknown TCP", "shop/web-1"). */
    String name();

    /**
     * The network namespace whose side of an interface the account's bytes are on: 0 for the
     * host's own, a namespace's inode for the far side of a veth, -1 for none or not identified.
     */
    long netns();

    /** What sort of account this is (JSON's {@code kind}). */
    AccountKind kind();

    /**
     * The program of the process the row is of, else its name: the same as {@link #name} but for a
     * connection's, which is its owner's.
     */
    default String program() {
        return name();
    }

    /** The process whose account this is; null for every other account. */
    default ProcessOwner process() {
        return null;
    }

    /** The container and pod whose processes' bytes these are ({@link CgroupIdentity#NONE}: none, or the host). */
    default CgroupIdentity cgroup() {
        return CgroupIdentity.NONE;
    }
}
