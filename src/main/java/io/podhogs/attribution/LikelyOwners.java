package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The few processes looked in first for the socket of a new flow: a short connection's socket
 * lives for less than the millisecond a scan of all of /proc takes, and looking in a few processes
 * takes microseconds. Likeliest first: the newest processes (newest first, so that of a parent and
 * the child it handed a socket to, the child comes first, as in a full scan's youngest-holder
 * rule), then those that owned flows lately, then all of a small namespace's. Engine thread only.
 */
final class LikelyOwners {
    private static final int RECENT_OWNERS = 64;
    private static final int SMALL_NAMESPACE = 64;
    /** How long, and how many, new processes are looked in first for new sockets. */
    private static final long YOUTH_NANOS = 30_000_000_000L;
    private static final int YOUNG_PROCESSES = 128;
    private static final long ARRIVALS_FLOOR_NANOS = 10_000_000L;

    private final NetnsRegistry namespaces;
    private final VethNamespaces veths;
    private final LongSupplier clock;
    private final ProcessArrivals arrivals;
    private final Throttle arrivalsRead = new Throttle(ARRIVALS_FLOOR_NANOS);
    /** Processes that owned flows lately, most recent last, the least recent dropped first. */
    private final Map<Integer, Boolean> recentOwners = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > RECENT_OWNERS;
        }
    };

    /** Lists /proc once: what runs when podhogs starts is not new. */
    LikelyOwners(HostFiles host, NetnsRegistry namespaces, VethNamespaces veths, LongSupplier clock) {
        this.namespaces = namespaces;
        this.veths = veths;
        this.clock = clock;
        this.arrivals = new ProcessArrivals(host, YOUTH_NANOS, YOUNG_PROCESSES);
        arrivals.refresh(clock.getAsLong());
    }

    /** The process {@code pid} was found to own a flow. */
    void owned(int pid) {
        recentOwners.put(pid, Boolean.TRUE);
    }

    /**
     * The processes to look in first for the sockets of the {@code pending} flows, likeliest first.
     * The new processes and recent owners are only those of the namespaces whose tables hold the
     * sockets sought (and those not placed in one yet): a socket is held by a process of its own
     * namespace but for descriptors passed across, which the full scans find. Looking in every
     * pod's holders for each pod's short connection was most of the engine's readlinks.
     */
    List<Integer> of(List<TrackedFlow> pending) {
        Set<Long> sought = namespacesSought(pending);
        Set<Integer> pids = new LinkedHashSet<>();
        List<Integer> young = arrivals.young();
        List<Integer> owners = new ArrayList<>(recentOwners.keySet());
        for (int i = young.size() - 1; i >= 0; i--) {
            addIfIn(pids, young.get(i), sought);
        }
        for (int i = owners.size() - 1; i >= 0; i--) {
            addIfIn(pids, owners.get(i), sought);
        }
        for (TrackedFlow flow : pending) {
            if (flow.inode() != 0 && flow.key().has(FlowKey.PEER)) {
                long netns = veths.netnsOf(flow);
                List<Integer> inside = netns == VethNamespaces.UNKNOWN ? List.of() : namespaces.pids(netns);
                if (inside.size() <= SMALL_NAMESPACE) {
                    pids.addAll(inside); // a pod's few processes: cheaper than all of /proc
                }
            }
        }
        return new ArrayList<>(pids);
    }

    /** The namespaces of the sockets sought, or null (look everywhere) when one is not known. */
    private Set<Long> namespacesSought(List<TrackedFlow> pending) {
        Set<Long> sought = new HashSet<>();
        for (TrackedFlow flow : pending) {
            if (flow.inode() != 0) {
                long netns = veths.tablesOf(flow);
                if (netns <= 0) {
                    return null;
                }
                sought.add(netns);
            }
        }
        return sought;
    }

    private void addIfIn(Set<Integer> pids, int pid, Set<Long> sought) {
        long netns = sought == null ? -1 : namespaces.netnsOf(pid);
        if (netns < 0 || sought.contains(netns)) {
            pids.add(pid);
        }
    }

    /**
     * The new processes as a listing of /proc made now finds them, but not those in {@code looked}
     * already; none when the listing's throttle does not allow one yet.
     */
    List<Integer> newerThan(List<Integer> looked) {
        if (!arrivalsRead.mayRun(clock.getAsLong())) {
            return List.of();
        }
        long start = clock.getAsLong();
        arrivals.refresh(start);
        arrivalsRead.ran(start, clock.getAsLong());
        Set<Integer> seen = new HashSet<>(looked);
        return arrivals.young().stream().filter(pid -> !seen.contains(pid)).toList();
    }
}
