package io.podhogs.identity;

/** A pod's quality of service class, as kubelet names its cgroups after it. */
public enum QosClass {
    GUARANTEED("Guaranteed"),
    BURSTABLE("Burstable"),
    BEST_EFFORT("BestEffort"),
    /** Not in a pod. */
    NONE("");

    private final String apiName;

    QosClass(String apiName) {
        this.apiName = apiName;
    }

    /** The name the Kubernetes API gives it (status.qosClass). */
    public String apiName() {
        return apiName;
    }
}
