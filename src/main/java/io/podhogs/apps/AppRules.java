package io.podhogs.apps;

import java.util.List;

/**
 * How processes, containers and pods are grouped into applications (--by app).
 *
 * @param apps the file's applications, in its order: the first whose rule holds names an account
 * @param autoUnmatched whether an account no application names is grouped automatically (a pod's
 *     by its label or workload, a process by its program's base name) rather than keeping its own row
 * @param label the pod label whose value names a pod's application when grouping automatically
 */
public record AppRules(List<App> apps, boolean autoUnmatched, String label) {
    /** The pod label of the automatic grouping: the one the Kubernetes docs recommend for an application's name. */
    public static final String DEFAULT_LABEL = "app.kubernetes.io/name";

    /** No file: everything grouped automatically (bwmon's --auto-group, and pods by label or workload). */
    public static AppRules auto(String label) {
        return new AppRules(List.of(), true, label);
    }

    public AppRules {
        apps = List.copyOf(apps);
    }
}
