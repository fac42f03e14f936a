package io.podhogs.engine;

import io.podhogs.accounting.ExitedProcessesKey;
import io.podhogs.accounting.Ledger;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.attribution.FlowResolver;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Folds the accounts of pods deleted longer than the grace period ago into their workload's
 * retired totals: processes by their cgroup, a namespace's other traffic by its container. The
 * resolver then forgets those containers, so a namespace inode the kernel reuses is not theirs.
 */
final class DeletedPods {
    private DeletedPods() {
    }

    /** Retires what is due at {@code wallNow} (the pods' deletion times are wall-clock times). */
    static void retire(PodDirectory pods, Instant wallNow, Ledger ledger, FlowResolver resolver, long nowNanos) {
        if (pods.pods().stream().noneMatch(PodInfo::deleted)) {
            return;
        }
        Map<Long, CgroupIdentity> byNetns = resolver.containersByNetns();
        // A pod past its grace has no namespace left: a live one under its inode is another pod's.
        Set<Long> live = resolver.liveNamespaces();
        Function<CgroupIdentity, PodInfo> expired = c -> c == null || !(c.inPod() || c.inContainer())
                ? null : pods.pod(c.podUid(), c.containerId()).filter(p -> pods.pastGrace(p, wallNow)).orElse(null);
        ledger.retire(key -> {
            PodInfo pod = expired.apply(key.process() != null || key instanceof ExitedProcessesKey ? key.cgroup()
                    : key.netns() > 0 && !live.contains(key.netns()) ? byNetns.get(key.netns()) : null);
            return pod == null ? null : new RetiredPodsKey(pod.namespace(), pod.workload());
        }, nowNanos);
        resolver.forgetContainers(c -> expired.apply(c) != null);
    }
}
