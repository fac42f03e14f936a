package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Each network namespace's socket tables and addresses (and the host's NAT), read through
 * /proc/PID/net of one of its processes. A table is read anew only when a lookup missed, and then
 * no more often than its {@link Throttle} allows. A table answers only for flows that began before
 * its read: an older read could hold a socket that closed since, whose ports a new one took.
 * Engine thread only.
 */
final class NamespaceSockets {
    private static final long READ_FLOOR_NANOS = 1_000_000L;

    /** What a lookup may read anew (each as its throttle allows). */
    enum Reread {
        /** Nothing: the last reads answer. */
        NONE,
        /**
         * The socket tables, not the addresses nor the host's NAT: for a flow looked up again
         * because its socket may turn up late (UnknownRetries). Its first lookup read those, and a
         * connection's translation does not change after its first packet; reading them again on
         * each retry was most of what a lone packet cost a quiet host (the kernel walks every
         * bucket of the conntrack hash to print it, 262,144 here, however few it holds).
         */
        SOCKETS,
        /** The socket tables, the addresses and (on the host) the NAT. */
        ALL
    }

    /**
     * One namespace's socket tables and addresses as last read, each with its own throttle: the
     * TCP files cost milliseconds whatever their size (the kernel walks its whole socket hash), the
     * others microseconds, so one need not wait for the other.
     */
    static final class Tables {
        private SocketTable tcp = SocketTable.empty();
        private SocketTable udp = SocketTable.empty();
        private HostAddresses addresses = HostAddresses.empty();
        private final Throttle tcpRead = new Throttle(READ_FLOOR_NANOS);
        private final Throttle udpRead = new Throttle(READ_FLOOR_NANOS);
        private final Throttle localRead = new Throttle(READ_FLOOR_NANOS);

        SocketTable table(int protocol) {
            return protocol == ParsedPacket.TCP ? tcp : udp;
        }

        Throttle read(int protocol) {
            return protocol == ParsedPacket.TCP ? tcpRead : udpRead;
        }

        /** Whether the flow's local end is one of the namespace's own addresses. */
        boolean ownsAddress(FlowKey key) {
            return addresses.contains(key.localHi(), key.localLo());
        }

        /**
         * Whether the flow's local end is the namespace's: one of its addresses, or one that any link
         * has (unspecified, multicast, broadcast, link-local), which no router forwards.
         */
        boolean local(FlowKey key) {
            return ownsAddress(key) || linkScoped(key);
        }

        /** Whether the addresses were read at {@code t} or later. */
        boolean localReadSince(long t) {
            return localRead.startedSince(t);
        }

        /** Whether both the table of {@code protocol} and the addresses were read at {@code t} or later. */
        boolean readSince(int protocol, long t) {
            return read(protocol).startedSince(t) && localRead.startedSince(t);
        }
    }

    /** A connection found in the table of the namespace it is in. */
    record Found(long netns, SocketEntry socket) {
    }

    private final HostFiles host;
    private final NetnsRegistry namespaces;
    private final LongSupplier clock;
    private final ConntrackReader conntrack;
    private final Map<Long, Tables> byNetns = new HashMap<>();
    private long reads;

    NamespaceSockets(HostFiles host, NetnsRegistry namespaces, LongSupplier clock, ConntrackReader conntrack) {
        this.host = host;
        this.namespaces = namespaces;
        this.clock = clock;
        this.conntrack = conntrack;
    }

    /** The namespace's tables as last read (empty before the first read). */
    Tables of(long netns) {
        return byNetns.computeIfAbsent(netns, n -> new Tables());
    }

    /** The namespace's socket table of {@code protocol}, read anew (with its addresses, by {@code reread}) if allowed. */
    SocketTable table(long netns, int protocol, Reread reread) {
        Tables s = of(netns);
        Throttle read = s.read(protocol);
        if (reread != Reread.NONE && read.mayRun(clock.getAsLong())) {
            Path dir = namespaces.netDir(netns);
            if (dir != null) {
                long start = clock.getAsLong();
                SocketTable table = SocketTable.read(host, dir, protocol);
                if (protocol == ParsedPacket.TCP) {
                    s.tcp = table;
                } else {
                    s.udp = table;
                }
                read.ran(start, clock.getAsLong());
                reads++;
            }
        }
        local(netns, rereadsLocal(netns, reread));
        return s.table(protocol);
    }

    /**
     * Whether a lookup that may reread {@code reread} reads the namespace's addresses: with ALL, or
     * with SOCKETS when they were never read (a namespace new since the flow's first lookup, the
     * case a retry is for).
     */
    private boolean rereadsLocal(long netns, Reread reread) {
        return reread == Reread.ALL || reread == Reread.SOCKETS && !of(netns).localRead.ran();
    }

    /** The namespace's addresses and (the host's) NAT, read anew if allowed. */
    Tables local(long netns, boolean reread) {
        Tables s = of(netns);
        if (reread && s.localRead.mayRun(clock.getAsLong())) {
            Path dir = namespaces.netDir(netns);
            if (dir != null) {
                long start = clock.getAsLong();
                s.addresses = HostAddresses.read(host, dir);
                if (netns == namespaces.hostNetns()) {
                    conntrack.request(dir); // only the host translates for others
                }
                s.localRead.ran(start, clock.getAsLong());
            }
        }
        return s;
    }

    /** The host's tables, with its addresses read at least once. */
    Tables hostLocal() {
        long hostNetns = namespaces.hostNetns();
        return local(hostNetns, !of(hostNetns).localRead.ran());
    }

    /** The flow's socket in the namespace's tables (read anew if allowed), or null. */
    SocketEntry find(long netns, TrackedFlow flow, Reread reread) {
        FlowKey key = flow.key();
        SocketTable table = table(netns, key.protocol(), reread);
        Tables s = of(netns);
        if (!s.read(key.protocol()).startedSince(flow.firstSeenNanos())) {
            return null;
        }
        return table.find(key, s.local(key));
    }

    /** Asks a namespace for one connection by its four-tuple, if it can be asked (see ExactConnections). */
    interface Exact {
        boolean covers(long netns, FlowKey key);

        SocketEntry connection(long netns, FlowKey key);
    }

    /**
     * The flow's exact connection in the one namespace among {@code candidates} that holds it; null
     * when none does, or more than one (then it is not guessed). Only namespaces that have the flow's
     * local address are asked (a connected socket's local end is its namespace's own; pods' addresses
     * differ): on a node of 250 pods whose veths' peers all have the same index, reading every pod's
     * table for each new veth stalled the engine for minutes. A namespace that can be asked for the
     * connection by its four-tuple is; the others' tables are read.
     */
    Found findConnected(Set<Long> candidates, TrackedFlow flow, Reread reread, Exact exact) {
        FlowKey key = flow.key();
        Found found = null;
        for (long candidate : candidates) {
            if (!local(candidate, rereadsLocal(candidate, reread)).ownsAddress(key)) {
                continue;
            }
            SocketEntry e = exact.covers(candidate, key) ? exact.connection(candidate, key)
                    : table(candidate, key.protocol(), reread).findConnected(key);
            if (e != null && (exact.covers(candidate, key)
                    || of(candidate).read(key.protocol()).startedSince(flow.firstSeenNanos()))) {
                if (found != null) {
                    return null;
                }
                found = new Found(candidate, e);
            }
        }
        return found;
    }

    /** Forgets the tables of namespaces not in {@code live}. */
    void retain(Set<Long> live) {
        byNetns.keySet().retainAll(live);
    }

    /** Socket tables read so far, for self-monitoring. */
    long reads() {
        return reads;
    }

    /** Unspecified, multicast, broadcast and link-local ends: the link's own, never forwarded. */
    static boolean linkScoped(FlowKey key) {
        long hi = key.localHi();
        long lo = key.localLo();
        if (Addresses.isV4Mapped(hi, lo)) {
            int first = (int) (lo >>> 24) & 0xff;
            return (lo & 0xffff_ffffL) == 0 || first >= 224 || (lo & 0xff) == 0xff
                    || (first == 169 && ((lo >>> 16) & 0xff) == 254);
        }
        return (hi == 0 && lo == 0) || (hi >>> 56) == 0xff || (hi >>> 54) == 0x3fa; // ::, ff00::/8, fe80::/10
    }
}
