package io.podhogs.accounting;

import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.CgroupIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The container level above processes: one account per container, the sum of its processes'
 * accounts and of the traffic of its network namespace that no process took (unknown, tunnels),
 * so a container whose processes all exited still owns its veth's traffic. Accounts in no
 * container (the host's processes and buckets) are passed through as they are. Totals are sums of
 * totals, so they never go down either.
 */
public final class ContainerAccounts {
    private ContainerAccounts() {
    }

    /**
     * @param containersByNetns each namespace's container, from its processes' cgroups (the
     *     engine's look at the namespaces), so that a container none of whose processes has an
     *     account (short-lived clients) still owns its namespace's traffic
     * @param names the runtime's name of a container ID, or null when it is not known
     */
    public static List<AccountSnapshot> group(List<AccountSnapshot> accounts, Map<Long, CgroupIdentity> containersByNetns,
                                              Function<String, String> names) {
        Map<Long, CgroupIdentity> byNetns = byNetns(accounts, containersByNetns);
        Map<String, List<AccountSnapshot>> members = new LinkedHashMap<>();
        Map<String, CgroupIdentity> identities = new HashMap<>();
        Map<String, Long> netnsOf = new HashMap<>();
        List<AccountSnapshot> result = new ArrayList<>();
        for (AccountSnapshot a : accounts) {
            CgroupIdentity container = containerOf(a, byNetns);
            if (container == null) {
                result.add(a);
                continue;
            }
            members.computeIfAbsent(container.containerId(), id -> new ArrayList<>()).add(a);
            identities.putIfAbsent(container.containerId(), container);
            netnsOf.merge(container.containerId(), Math.max(0, a.key().netns()), Math::max);
        }
        for (Map.Entry<String, List<AccountSnapshot>> e : members.entrySet()) {
            CgroupIdentity identity = identities.get(e.getKey());
            String name = names.apply(e.getKey());
            if (name == null || name.isEmpty()) {
                name = identity.shortLabel();
            }
            result.add(AccountSums.sum(new ContainerKey(identity, name, netnsOf.get(e.getKey())), e.getValue()));
        }
        return result;
    }

    /**
     * Which container owns each network namespace: the engine's look at the namespaces, and the one
     * whose processes' accounts are on its side.
     */
    public static Map<Long, CgroupIdentity> byNetns(List<AccountSnapshot> accounts,
                                                    Map<Long, CgroupIdentity> containersByNetns) {
        Map<Long, CgroupIdentity> byNetns = new HashMap<>(containersByNetns);
        for (AccountSnapshot a : accounts) {
            ProcessOwner p = a.key().process();
            if (p != null && p.process().cgroup().inContainer() && p.netns() > 0) {
                byNetns.putIfAbsent(p.netns(), p.process().cgroup());
            }
        }
        return byNetns;
    }

    /** The container whose bytes an account's are ({@link #byNetns}'s map), or null for none. */
    public static CgroupIdentity containerOf(AccountSnapshot a, Map<Long, CgroupIdentity> byNetns) {
        if (a.isProcess() || a.key() instanceof ExitedProcessesKey) {
            return a.cgroup().inContainer() ? a.cgroup() : null;
        }
        // a namespace's buckets, not processes folded from outside any container
        return a.key().netns() > 0 ? byNetns.get(a.key().netns()) : null;
    }
}
