package io.podhogs.alerts;

import java.util.Map;

/**
 * What an alert is about: a process, an application, a container, a pod or a namespace, as its
 * messages, the command's environment and the webhook's labels name it.
 *
 * @param level what it is
 * @param name how a line names it: "rsync/4242", "shop/web-7d9c5-abcde", "backups"
 * @param labels its fields (pid, program, user, container, namespace, pod, pod_uid, app), only those it has
 */
public record AlertSubject(AlertLevel level, String name, Map<String, String> labels) {
    public AlertSubject {
        labels = Map.copyOf(labels);
    }

    public String label(String key) {
        return labels.getOrDefault(key, "");
    }
}
