package io.podhogs.export;

import io.podhogs.accounting.RollUp;
import io.podhogs.apps.Applications;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.engine.EngineSnapshot;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What the rows are ({@code --by}): processes, or the sums of containers, pods, namespaces,
 * workloads or applications.
 */
public enum Level {
    PROCESS, CONTAINER, POD, NAMESPACE, WORKLOAD, APP,
    /** Devices (--by interface): summed by {@link InterfaceRows}, which keeps their rates, not by {@link #group}. */
    INTERFACE,
    /** Connections (--by connection): split out of their owners' accounts by {@link ConnectionRows}, not by {@link #group}. */
    CONNECTION,
    /** Service ports (--by port): the connections summed by {@link PortRows}. */
    PORT;

    public static Level parse(String text) {
        for (Level l : values()) {
            if (l.name().toLowerCase(Locale.ROOT).equals(text)) {
                return l;
            }
        }
        throw new IllegalArgumentException("--by is process, container, pod, namespace, workload, app, interface, connection or port,"
                + " not "
                + text);
    }

    /** Levels that only a Kubernetes cluster can fill. */
    public boolean kubernetes() {
        return this == POD || this == NAMESPACE || this == WORKLOAD;
    }

    /**
     * The accounts of a snapshot summed into this level.
     *
     * @param containerNames a container's name (the pod spec's, the runtime's), or null
     * @param apps how accounts are grouped into applications ({@link #APP})
     */
    public List<AccountSnapshot> group(List<AccountSnapshot> accounts, EngineSnapshot snapshot,
                                       Function<String, String> containerNames, IdentityLookup identity,
                                       Applications apps) {
        RollUp levels = new RollUp(accounts, snapshot.containersByNetns(), containerNames, identity.pods());
        return switch (this) {
            case PROCESS -> accounts;
            case CONTAINER -> levels.containers();
            case POD -> levels.pods();
            case NAMESPACE -> levels.namespaces();
            case WORKLOAD -> levels.workloads();
            case APP -> apps.group(accounts, snapshot.containersByNetns(), containerNames, identity);
            case INTERFACE -> throw new IllegalStateException("devices are summed by InterfaceRows, which keeps their rates");
            case CONNECTION, PORT -> throw new IllegalStateException("connections are listed by ConnectionRows");
        };
    }
}
