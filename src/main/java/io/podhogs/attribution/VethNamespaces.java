package io.podhogs.attribution;

import io.podhogs.capture.NetInterface;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The host's interfaces as last read, and which network namespace is behind each veth: the one
 * that has the veth's peer index among its interfaces, if only one does; otherwise the one whose
 * socket table holds a flow's exact four-tuple, which then pins the veth to it ({@link #pin}).
 * Interface indexes repeat across namespaces; four-tuples of live connections do not. Engine
 * thread only.
 */
final class VethNamespaces {
    /** No namespace known (yet) behind an interface. */
    static final long UNKNOWN = -1;

    private final NetnsRegistry namespaces;
    private final Map<Integer, Long> pinned = new HashMap<>();
    private Map<Integer, NetInterface> interfaces = Map.of();
    private Set<Integer> uncounted = Set.of();

    VethNamespaces(NetnsRegistry namespaces) {
        this.namespaces = namespaces;
    }

    /**
     * The host's interfaces as last read, and those whose frames the user left out. When the set
     * of interfaces changed, what was learnt of the gone ones is forgotten: their indexes may come
     * back on other devices.
     */
    void interfaces(Map<Integer, NetInterface> current, Set<Integer> uncounted) {
        this.uncounted = Set.copyOf(uncounted);
        if (!current.keySet().equals(interfaces.keySet())) {
            namespaces.forgetInterfaces();
            pinned.keySet().retainAll(current.keySet());
        }
        interfaces = current;
    }

    /** The interface, or null while it is newer than the last read of the interfaces. */
    NetInterface device(int ifindex) {
        return interfaces.get(ifindex);
    }

    /** Whether the interface is one whose frames the user left out. */
    boolean uncounted(int ifindex) {
        return uncounted.contains(ifindex);
    }

    /** The namespace behind the interface (a veth's far side), or {@link #UNKNOWN} while it is not known. */
    long netnsBehind(int ifindex) {
        Long known = pinned.get(ifindex);
        if (known != null) {
            return known;
        }
        NetInterface device = interfaces.get(ifindex);
        if (device == null) {
            return UNKNOWN;
        }
        long only = UNKNOWN;
        for (long candidate : namespaces.others()) {
            if (namespaces.interfaceIndexes(candidate).contains(device.link())) {
                if (only != UNKNOWN) {
                    return UNKNOWN; // the index repeats: the sockets will tell
                }
                only = candidate;
            }
        }
        if (only != UNKNOWN) {
            pinned.put(ifindex, only);
        }
        return only;
    }

    /** The interface is the veth of {@code netns}: a connection of its far side was found there alone. */
    void pin(int ifindex, long netns) {
        pinned.put(ifindex, netns);
    }

    /** The namespace behind the flow's veth, or {@link #UNKNOWN}. */
    long netnsOf(TrackedFlow flow) {
        return netnsBehind(flow.key().ifindex());
    }

    /** Whether the namespace behind the flow's veth is known. */
    boolean known(TrackedFlow flow) {
        return netnsOf(flow) != UNKNOWN;
    }

    /** The namespace whose tables hold the flow's socket: the host's, or the one behind its veth. */
    long tablesOf(TrackedFlow flow) {
        return flow.key().has(FlowKey.PEER) ? netnsOf(flow) : namespaces.hostNetns();
    }

    /** The side an owner of the flow is on: 0 for the host's, else the namespace behind the veth. */
    long sideOf(TrackedFlow flow) {
        return flow.key().has(FlowKey.PEER) ? netnsOf(flow) : 0;
    }
}
