package io.podhogs.accounting;

import io.podhogs.identity.Workload;

/**
 * A pod: the sum of its containers ({@link PodAccounts} makes them). A pod the API has not named
 * (yet) has an empty namespace and is called by its UID.
 *
 * @param workload its controller, followed to the Deployment or CronJob; null when not known
 * @param netns the pod's network namespace, 0 for a hostNetwork pod
 */
public record PodKey(String uid, String namespace, String podName, Workload workload, long netns) implements AccountKey {
    @Override
    public String name() {
        return namespace.isEmpty() ? "pod:" + uid : namespace + "/" + podName;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.POD;
    }
}
