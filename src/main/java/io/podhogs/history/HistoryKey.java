package io.podhogs.history;

/**
 * One row's key in the history: the fields its level names, the others empty. Fields are kept as
 * the monitor named them when the bytes were counted.
 *
 * @param name a program's path (or the bucket's name: "unknown TCP"); a container's name; a pod's
 *     name; a namespace; an application; {@link #OTHER} for what the top keys of a period left over
 * @param user a program's user (name, or UID where the host names none)
 * @param image a container's image
 * @param namespace a pod's (or a container's pod's) namespace
 * @param pod a container's pod
 * @param workload a pod's workload ("Deployment/web"), empty when not known
 */
public record HistoryKey(HistoryLevel level, String name, String user, String image, String namespace, String pod,
                         String workload) {
    /** The name of the row that sums a period's keys beyond its top ones. */
    public static final String OTHER = "other";

    public HistoryKey {
        name = nonNull(name);
        user = nonNull(user);
        image = nonNull(image);
        namespace = nonNull(namespace);
        pod = nonNull(pod);
        workload = nonNull(workload);
    }

    // Written out, not the record's generated pair: every drain looks each of its keys up at each
    // level, and under C1 (the launcher's JIT) the generated methods cost several times these
    // (BENCHMARKS.md, history recording).
    @Override
    public int hashCode() {
        int h = level.hashCode();
        h = 31 * h + name.hashCode();
        h = 31 * h + user.hashCode();
        h = 31 * h + image.hashCode();
        h = 31 * h + namespace.hashCode();
        h = 31 * h + pod.hashCode();
        return 31 * h + workload.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof HistoryKey k && level == k.level && name.equals(k.name) && user.equals(k.user)
                && image.equals(k.image) && namespace.equals(k.namespace) && pod.equals(k.pod)
                && workload.equals(k.workload);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    public static HistoryKey program(String path, String user) {
        return new HistoryKey(HistoryLevel.PROGRAM, path, user, "", "", "", "");
    }

    public static HistoryKey container(String name, String image, String namespace, String pod) {
        return new HistoryKey(HistoryLevel.CONTAINER, name, "", image, namespace, pod, "");
    }

    public static HistoryKey pod(String namespace, String name, String workload) {
        return new HistoryKey(HistoryLevel.POD, name, "", "", namespace, "", workload);
    }

    public static HistoryKey namespace(String namespace) {
        return new HistoryKey(HistoryLevel.NAMESPACE, namespace, "", "", "", "", "");
    }

    public static HistoryKey app(String name) {
        return new HistoryKey(HistoryLevel.APP, name, "", "", "", "", "");
    }

    /** The row a period's keys beyond its top ones are summed into. */
    public static HistoryKey other(HistoryLevel level) {
        return new HistoryKey(level, OTHER, "", "", "", "", "");
    }

    /**
     * The row, at a level above programs, of what is in none of its keys: the host's processes and
     * buckets at the container level, a Docker container's at the pod level ...
     */
    public static HistoryKey outside(HistoryLevel level) {
        return new HistoryKey(level, "(no " + level.label() + ")", "", "", "", "", "");
    }

    /** The {@code other} row or an {@link #outside} row: a name and nothing else. */
    public boolean isBucket() {
        return isOther() || level != HistoryLevel.PROGRAM && equals(outside(level));
    }

    public boolean isOther() {
        return name.equals(OTHER) && user.isEmpty() && image.isEmpty() && namespace.isEmpty() && pod.isEmpty()
                && workload.isEmpty();
    }
}
