package io.podhogs.identity;

/**
 * What a process's cgroup path says about it: the container it runs in (runtime and ID) and, under
 * kubelet, its pod's UID and QoS class. Parts the path does not name are empty strings (or
 * {@link QosClass#NONE}); {@link #NONE} is a process in no container.
 *
 * @param runtime "docker", "containerd", "cri-o", "podman", or "" when the path does not say (a
 *     kubelet cgroupfs path names no runtime)
 * @param containerId the 64 hex digits of the container's ID, or ""
 * @param podUid the pod's UID with dashes, or ""
 * @param qos the pod's QoS class, {@link QosClass#NONE} outside a pod
 */
public record CgroupIdentity(String runtime, String containerId, String podUid, QosClass qos) {
    public static final CgroupIdentity NONE = new CgroupIdentity("", "", "", QosClass.NONE);

    public boolean inContainer() {
        return !containerId.isEmpty();
    }

    public boolean inPod() {
        return !podUid.isEmpty();
    }

    /** What to call the container when its runtime gives no name: "docker:00e135ce289b". */
    public String shortLabel() {
        return (runtime.isEmpty() ? "container" : runtime) + ":" + containerId.substring(0, Math.min(12, containerId.length()));
    }
}
