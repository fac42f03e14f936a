package io.podhogs.attribution;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * A sock_diag lookup for each pod's namespace ({@link HostSocketLookup#sockDiagIn}), opened on the
 * first flow that needs it and closed when the namespace goes. Reading a namespace's
 * /proc/PID/net/tcp walks the kernel's whole socket hash, which every namespace shares (milliseconds
 * a read, however few sockets the pod has: on a node of 250 pods and thousands of new connections
 * a second, the engine's every moment); asking for one connection costs microseconds.
 *
 * <p>A namespace that cannot be entered (no CAP_SYS_ADMIN: the chart does not add it by default)
 * keeps an unavailable lookup and has its tables read, as before; so do namespaces beyond
 * {@link #MAX_OPEN}, one netlink socket each, which are counted. Engine thread only.
 */
final class NamespaceLookups implements AutoCloseable {
    static final int MAX_OPEN = 4096;

    private final HostSocketLookup.Opener opener;
    private final LongFunction<Path> netDirs;
    private final int maxOpen;
    private final Map<Long, HostSocketLookup> byNetns = new HashMap<>();
    private long turnedAway;

    /**
     * @param netDirs a namespace's /proc/PID/net, through one of its processes (null with none:
     *     {@link NetnsRegistry#netDir})
     */
    NamespaceLookups(HostSocketLookup.Opener opener, LongFunction<Path> netDirs, int maxOpen) {
        this.opener = opener;
        this.netDirs = netDirs;
        this.maxOpen = maxOpen;
    }

    /** The namespace's lookup, if it has one that works; null when its tables must answer. */
    HostSocketLookup of(long netns) {
        HostSocketLookup lookup = byNetns.get(netns);
        if (lookup == null) {
            Path netDir = netDirs.apply(netns);
            if (netDir == null) {
                return null; // no process in it to enter it through
            }
            if (byNetns.size() >= maxOpen) {
                turnedAway++;
                return null;
            }
            lookup = opener.open(netDir.resolveSibling("ns").resolve("net"), netns);
            byNetns.put(netns, lookup);
        }
        return lookup.available() ? lookup : null;
    }

    /** Closes the lookups of namespaces not in {@code live}. */
    void retain(Set<Long> live) {
        for (Iterator<Map.Entry<Long, HostSocketLookup>> it = byNetns.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, HostSocketLookup> e = it.next();
            if (!live.contains(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
    }

    /** Lookups not opened because {@link #MAX_OPEN} were: those namespaces' tables were read. */
    long turnedAway() {
        return turnedAway;
    }

    @Override
    public void close() {
        byNetns.values().forEach(HostSocketLookup::close);
        byNetns.clear();
    }
}
