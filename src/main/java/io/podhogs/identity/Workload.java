package io.podhogs.identity;

/**
 * The controller a pod belongs to, followed up to the object people name: a Deployment rather than
 * its ReplicaSet, a CronJob rather than its Job.
 *
 * @param kind Deployment, StatefulSet, DaemonSet, CronJob, Job, ReplicaSet, a custom controller's
 *     kind, Node for a static pod, or Pod for a pod no controller owns
 */
public record Workload(String kind, String name) {
    /** "Deployment/web". */
    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
