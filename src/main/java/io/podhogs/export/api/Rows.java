package io.podhogs.export.api;

import java.util.List;
import java.util.Map;

/** The rows the JSON API serves, one record per kind; every one carries its {@link Usage}. */
public final class Rows {
    private Rows() {
    }

    /** A row of any kind: what filtering, sorting and limiting need. */
    public interface Row {
        Usage usage();

        /** The Kubernetes namespace, or "" outside pods. */
        String namespace();

        /** The pod's labels, for label selectors; empty for rows of no single pod. */
        Map<String, String> labels();
    }

    /** A row of no namespace and no pod (an application, an interface): namespace and selector do not apply. */
    interface Unscoped extends Row {
        @Override
        default String namespace() {
            return "";
        }

        @Override
        default Map<String, String> labels() {
            return Map.of();
        }
    }

    public record Pod(String namespace, String pod, String uid, String workloadKind, String workload, String node,
                      Map<String, String> labels, boolean deleted, Usage usage) implements Row {
    }

    public record Container(String namespace, String pod, String container, String containerId, String runtime,
                            Map<String, String> labels, Usage usage) implements Row {
    }

    public record Process(int pid, String program, String command, int uid, long netns, String namespace, String pod,
                          String container, List<String> interfaces, boolean exited, Map<String, String> labels,
                          Usage usage) implements Row {
    }

    public record Namespace(String namespace, Usage usage) implements Row {
        @Override
        public Map<String, String> labels() {
            return Map.of();
        }
    }

    public record Workload(String namespace, String workloadKind, String workload, Usage usage) implements Row {
        @Override
        public Map<String, String> labels() {
            return Map.of();
        }
    }

    /**
     * One connection from its socket's side: protocol, addresses and ports, the interface it was
     * counted on, its owner, and its other end's class and name.
     *
     * @param inferred its owner was inferred (its socket was gone before it could be looked up)
     */
    public record Connection(String protocol, String local, String remote, String iface, int pid, String program,
                             long netns, String namespace, String pod, String container, String remoteClass,
                             String remoteName, boolean inferred, Map<String, String> labels, Usage usage)
            implements Row {
    }

    /**
     * An application (podhogs.apps.*): the sum of the processes, containers and pods its name groups.
     *
     * @param app its name: a rule's, a pod's namespace/label value or namespace/workload, a program's base name
     */
    public record App(String app, Usage usage) implements Unscoped {
    }

    /** The host's side of one interface: every account's bytes there (sockets, forwarded, unknown). */
    public record Interface(String name, Usage usage) implements Unscoped {
    }
}
