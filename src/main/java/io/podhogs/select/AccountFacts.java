package io.podhogs.select;

import java.util.Map;

/**
 * What a filter may ask of one account: the process's (for process accounts), its container's
 * (the cgroup's, or for a namespace's other traffic the namespace's container), and its pod's.
 *
 * @param process whether the account is a process's (the program, command line and user criteria
 *     hold for processes only)
 * @param program the process's executable path; the account's name for the others
 * @param commandLine the process's whole command line; the account's name for the others
 * @param containerId empty when the bytes are in no container
 * @param containerName the pod spec's or the runtime's name, empty when neither is known
 * @param image the runtime's image, empty when not known
 * @param namespace the pod's namespace, empty in no pod
 * @param pod the pod's name, empty in no pod
 * @param workload the pod's workload's name (a Deployment's, a StatefulSet's ...), empty for none
 * @param labels the pod's labels, null in no pod (a label selector selects pods)
 */
public record AccountFacts(boolean process, int pid, int uid, String program, String commandLine,
                           String containerId, String containerName, String image, String namespace,
                           String pod, String workload, Map<String, String> labels) {
}
