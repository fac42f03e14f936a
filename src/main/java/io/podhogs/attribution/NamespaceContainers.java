package io.podhogs.attribution;

import io.podhogs.identity.CgroupIdentity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Each network namespace's container (or pod), as the cgroups of its processes name it. A
 * namespace whose processes are gone keeps its container while its accounts remain, until told
 * the container is gone for good. Engine thread only.
 */
final class NamespaceContainers {
    private final NetnsRegistry namespaces;
    private final ProcessReader processes;
    private Map<Long, CgroupIdentity> byNetns = Map.of();

    NamespaceContainers(NetnsRegistry namespaces, ProcessReader processes) {
        this.namespaces = namespaces;
        this.processes = processes;
    }

    /** Asks the namespaces' processes again, after the namespaces were listed anew. */
    void refresh() {
        Map<Long, CgroupIdentity> containers = new HashMap<>();
        for (long netns : namespaces.others()) {
            // Asked again each time: a namespace's inode is reused by the next namespace made after
            // it is freed, often the next pod's, so what an inode named once says nothing now.
            CgroupIdentity now = containerOf(netns);
            CgroupIdentity known = now.inContainer() || now.inPod() ? now : byNetns.get(netns);
            if (known != null && (known.inContainer() || known.inPod())) {
                containers.put(netns, known);
            }
        }
        // A namespace whose processes are gone keeps its container while its accounts remain.
        byNetns.forEach(containers::putIfAbsent);
        byNetns = Map.copyOf(containers);
    }

    /** The container of a namespace: what the cgroups of its processes name (the first that names one). */
    private CgroupIdentity containerOf(long netns) {
        for (int pid : namespaces.pids(netns)) {
            CgroupIdentity identity = processes.cgroup(pid);
            if (identity.inContainer()) {
                return identity;
            }
        }
        return CgroupIdentity.NONE;
    }

    /** Forgets the namespaces, gone themselves, of containers {@code gone} says are gone for good. */
    void forget(Predicate<CgroupIdentity> gone) {
        Set<Long> live = new HashSet<>(namespaces.others());
        Map<Long, CgroupIdentity> kept = new HashMap<>(byNetns);
        if (kept.entrySet().removeIf(e -> !live.contains(e.getKey()) && gone.test(e.getValue()))) {
            byNetns = Map.copyOf(kept);
        }
    }

    /** Each namespace's container, as of the last look (immutable). */
    Map<Long, CgroupIdentity> byNetns() {
        return byNetns;
    }
}
