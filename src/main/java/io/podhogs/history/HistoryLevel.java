package io.podhogs.history;

import java.util.Locale;

/**
 * What the history keeps totals under. Every level sums to the same total: what is outside a
 * level (the host's processes at the container level, say) is one row of its own there.
 */
public enum HistoryLevel {
    /** A program: its path and its user (PIDs are reused, so they are no key). */
    PROGRAM,
    /** A container: its name and image, and its pod where it has one. */
    CONTAINER,
    /** A pod: its namespace, name and workload. */
    POD,
    /** A Kubernetes namespace. */
    NAMESPACE,
    /**
     * An application (--by app), named as the recording monitor's rules named it then: an
     * applications file's name, a pod's label or workload, a program's base name.
     */
    APP;

    /** What a query's "by" takes: the levels, and workload (pods summed by their workload). */
    public static final String BY_CHOICES = "program, container, pod, workload, namespace or app";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level named {@code text} (as {@link #label}), or null. */
    public static HistoryLevel parse(String text) {
        for (HistoryLevel l : values()) {
            if (l.label().equals(text)) {
                return l;
            }
        }
        return null;
    }
}
