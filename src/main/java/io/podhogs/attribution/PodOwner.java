package io.podhogs.attribution;

import io.podhogs.identity.Workload;

/**
 * A pod as an account level above its containers (accounting.PodAccounts makes them): never the
 * owner of a flow. A pod the API has not named (yet) has an empty namespace and is called by its UID.
 *
 * @param workload its controller, followed to the Deployment or CronJob; null when not known
 * @param netns the pod's network namespace, 0 for a hostNetwork pod
 */
public record PodOwner(String uid, String namespace, String podName, Workload workload, long netns) implements Owner {
    @Override
    public String name() {
        return namespace.isEmpty() ? "pod:" + uid : namespace + "/" + podName;
    }
}
