package io.podhogs.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's pods at one moment, immutable: published by the cluster's watch (KubernetesIdentity)
 * and read by the exports and the engine's slow work, never on the packet path. Pods are found by
 * UID (from the cgroup path) and by container ID (for a runtime whose cgroup paths name no pod).
 */
public final class PodDirectory {
    public static final PodDirectory EMPTY = new PodDirectory(List.of(), false, Duration.ZERO);

    private final Map<String, PodInfo> byUid = new HashMap<>();
    private final Map<String, PodInfo> byContainerId = new HashMap<>();
    private final List<PodInfo> pods;
    private final boolean synced;
    private final Duration grace;

    /**
     * @param synced whether the pods are the API's full answer, not a start still under way
     * @param grace how long a deleted pod keeps its accounts
     */
    public PodDirectory(List<PodInfo> pods, boolean synced, Duration grace) {
        this.pods = List.copyOf(pods);
        this.synced = synced;
        this.grace = grace;
        for (PodInfo p : pods) {
            byUid.put(p.uid(), p);
            p.containerNames().keySet().forEach(id -> byContainerId.put(id, p));
        }
    }

    public Optional<PodInfo> byUid(String uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    public Optional<PodInfo> byContainerId(String containerId) {
        return Optional.ofNullable(byContainerId.get(containerId));
    }

    /** The pod of a container: by the pod UID its cgroup names, else by its ID. */
    public Optional<PodInfo> pod(String podUid, String containerId) {
        PodInfo p = podUid.isEmpty() ? null : byUid.get(podUid);
        return Optional.ofNullable(p != null ? p : byContainerId.get(containerId));
    }

    /** The container's name in its pod's spec, or null: a pod's sandbox ("pause") has none. */
    public String containerName(String containerId) {
        PodInfo p = byContainerId.get(containerId);
        return p == null ? null : p.containerNames().get(containerId);
    }

    /** A deleted pod whose grace period is over: its accounts go into its workload's retired totals. */
    public boolean pastGrace(PodInfo pod, Instant now) {
        return pod.deleted() && !pod.deletedAt().plus(grace).isAfter(now);
    }

    public List<PodInfo> pods() {
        return pods;
    }

    public boolean synced() {
        return synced;
    }
}
