package io.podhogs.engine;

import io.podhogs.accounting.AccountKey;
import io.podhogs.accounting.Ledger;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.identity.CgroupIdentity;
import java.util.Map;
import java.util.Set;

/**
 * Folds the accounts of network namespaces that are gone and belonged to no container (a
 * namespace made with {@code ip netns}, a test's, a CNI's that failed) into one account, "namespaces
 * gone", once they got no bytes for the retention: each namespace keeps buckets of its own (unknown,
 * untracked, encapsulated, its exited processes), and a host that churns namespaces must not keep
 * them for ever. A container's or a pod's namespace is left to the container's rules (its row sums
 * them), and a namespace's inode, which the kernel reuses, is never followed on.
 */
final class GoneNamespaces {
    private GoneNamespaces() {
    }

    /** Folds what is due; returns how many accounts went. */
    static int fold(Ledger ledger, Set<Long> live, Map<Long, CgroupIdentity> containers, long retentionNanos,
                    long nowNanos) {
        AccountKey namespacesGone = new OwnerKey(UnknownOwner.NAMESPACES_GONE);
        return ledger.retireIdle(key -> gone(key, live, containers) ? namespacesGone : null, retentionNanos, nowNanos);
    }

    private static boolean gone(AccountKey key, Set<Long> live, Map<Long, CgroupIdentity> containers) {
        long netns = key.netns();
        return netns > 0 && key.process() == null && !live.contains(netns) && !containers.containsKey(netns);
    }
}
