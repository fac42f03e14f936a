package io.podhogs.attribution;

import io.podhogs.capture.NetInterface;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The host's interfaces as last read, and which network namespace is behind each veth: the one the
 * kernel names (the veth's peer namespace id, matched with the known namespaces' ids: {@link
 * LinkPeers}); where the kernel cannot be asked, the one that has the veth's peer index among its
 * interfaces, if only one does among those known by a rescan made after the veth appeared;
 * otherwise the one whose
 * socket table holds a flow's exact four-tuple, which then pins the veth to it ({@link #pin}).
 * Interface indexes repeat across namespaces; four-tuples of live connections do not. Engine
 * thread only.
 */
final class VethNamespaces {
    /** No namespace known (yet) behind an interface. */
    static final long UNKNOWN = -1;

    private final NetnsRegistry namespaces;
    private final LinkPeers peers;
    private final Map<Integer, Long> pinned = new HashMap<>();
    /** The kernel's id of each interface's peer namespace, as asked once an interface. */
    private final Map<Integer, Integer> peerIds = new HashMap<>();
    /** Each known namespace's id: [id, the rescan it was asked at] (a namespace without one may get one). */
    private final Map<Long, long[]> namespaceIds = new HashMap<>();
    /** The namespace rescans done when each interface was first seen. */
    private final Map<Integer, Long> seenAtRescan = new HashMap<>();
    private Map<Integer, NetInterface> interfaces = Map.of();
    private Set<Integer> uncounted = Set.of();

    VethNamespaces(NetnsRegistry namespaces) {
        this(namespaces, LinkPeers.none());
    }

    /** @param peers the kernel's namespace ids; {@link LinkPeers#none()}: peer indexes decide */
    VethNamespaces(NetnsRegistry namespaces, LinkPeers peers) {
        this.namespaces = namespaces;
        this.peers = peers;
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
            peerIds.keySet().retainAll(current.keySet());
            seenAtRescan.keySet().retainAll(current.keySet());
            for (int ifindex : current.keySet()) {
                seenAtRescan.putIfAbsent(ifindex, namespaces.refreshes());
            }
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
        if (peers.available()) {
            return byKernelId(ifindex);
        }
        if (namespaces.refreshes() <= seenAtRescan.getOrDefault(ifindex, Long.MAX_VALUE)) {
            // Namespaces are known through their processes, as of the last rescan: a new veth's
            // namespace may be too new to be among them, and the one known namespace with the same
            // index (every CNI-made pod's eth0 is 2) would be taken for it. Only a rescan after the
            // veth appeared can say the index is unique (and only of namespaces with a process).
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

    /**
     * The known namespace whose kernel id is the one of the interface's peer; {@link #UNKNOWN} when
     * the interface has no peer in another namespace, or that namespace is not known yet (no process
     * seen in it): then nothing is guessed.
     */
    private long byKernelId(int ifindex) {
        int id = peerIds.computeIfAbsent(ifindex, peers::peerNetnsid);
        if (id == LinkPeers.UNANSWERED) {
            peerIds.remove(ifindex); // asked again next time
            return UNKNOWN;
        }
        if (id < 0) {
            return UNKNOWN;
        }
        Set<Long> live = namespaces.others();
        namespaceIds.keySet().retainAll(live);
        long rescans = namespaces.refreshes();
        for (long netns : live) {
            long[] known = namespaceIds.get(netns);
            // A question not answered (its process went) is asked again; a namespace without an
            // id may be given one when a link to it is made: asked again after each rescan.
            if (known == null || known[0] == LinkPeers.UNANSWERED || known[0] == LinkPeers.NONE && known[1] < rescans) {
                Path dir = namespaces.netDir(netns);
                int asked = dir == null ? LinkPeers.UNANSWERED : peers.netnsid(dir.resolveSibling("ns").resolve("net"));
                known = new long[] {asked, rescans};
                namespaceIds.put(netns, known);
            }
            if (known[0] == id) {
                pinned.put(ifindex, netns);
                return netns;
            }
        }
        return UNKNOWN;
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
