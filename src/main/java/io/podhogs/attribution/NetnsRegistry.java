package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every network namespace that has a process, from the links /proc/PID/ns/net (identity: the
 * namespace's inode), with its processes, so that its sockets can be read through
 * /proc/PID/net of any one of them, and which interface indexes it has. A namespace without a
 * process has no sockets to attribute, so it needs no entry. Engine thread only.
 */
public final class NetnsRegistry {
    /**
     * A process's link is read at the first {@value} scans that list it: it may enter its namespace
     * a moment after it starts (ip netns exec and unshare -n switch before they exec), so a first
     * reading can be its parent's namespace.
     */
    static final int NEW_PROCESS_READS = 2;
    /**
     * Every this many scans every link is read again (a process that moved later, a PID reused);
     * in between a process's last reading stands. A scan a second read one link a process: on a
     * node of a thousand processes, a thousand readlinks a second for answers that do not change.
     */
    static final int FULL_SCAN_EVERY = 5;

    private final HostFiles host;
    private long hostNetns;
    private Map<Long, List<Integer>> pidsByNetns = Map.of();
    private final Map<Long, Set<Integer>> interfaceIndexes = new HashMap<>();
    /** The listed processes' namespaces as last read, and at which scan each was first listed. */
    private Map<Integer, Reading> readings = new HashMap<>();

    private long refreshes;

    private record Reading(long netns, long firstListed) {
    }

    public NetnsRegistry(HostFiles host) {
        this.host = host;
    }

    /**
     * Rescans /proc: lists the processes, and reads the link of each that is new (its first
     * {@link #NEW_PROCESS_READS} scans) or, every {@link #FULL_SCAN_EVERY}th scan, of every one.
     */
    public void refresh() {
        refreshes++;
        boolean full = refreshes % FULL_SCAN_EVERY == 1;
        // Our own namespace is the host's (podhogs runs with the host's network); 0 if unreadable,
        // which no real namespace's inode is.
        hostNetns = Math.max(0, netnsOf("self"));
        Map<Long, List<Integer>> pids = new HashMap<>();
        Map<Integer, Reading> read = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(host.proc(), NetnsRegistry::isPid)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                int pid;
                try {
                    pid = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    continue; // digits, but no PID
                }
                Reading last = readings.get(pid);
                long firstListed = last == null ? refreshes : last.firstListed();
                long netns = last != null && !full && refreshes - firstListed >= NEW_PROCESS_READS
                        ? last.netns()
                        : netnsOf(name);
                if (netns > 0) {
                    pids.computeIfAbsent(netns, n -> new ArrayList<>()).add(pid);
                    read.put(pid, new Reading(netns, firstListed));
                }
            }
        } catch (IOException | SecurityException | java.nio.file.DirectoryIteratorException e) {
            // /proc unreadable: only the host namespace is known
        }
        pids.values().forEach(list -> list.sort(Integer::compare));
        pidsByNetns = pids;
        readings = read; // gone processes fall out: bounded by the processes listed
        interfaceIndexes.keySet().retainAll(pids.keySet());
    }

    /** Rescans done so far: which namespaces were seen after a given moment (see VethNamespaces). */
    long refreshes() {
        return refreshes;
    }

    private long netnsOf(String pid) {
        try {
            return netnsInode(Files.readSymbolicLink(host.proc(pid, "ns", "net")).toString());
        } catch (IOException | SecurityException e) {
            return -1; // exited, or not ours to see
        }
    }

    /** The inode a /proc/PID/ns/net link names ("net:[4026531840]"), or -1. */
    static long netnsInode(String link) {
        if (link.startsWith("net:[") && link.endsWith("]") && link.length() > 6
                && link.chars().skip(5).limit(link.length() - 6).allMatch(c -> c >= '0' && c <= '9')) {
            try {
                long inode = Long.parseLong(link, 5, link.length() - 1, 10);
                return inode > 0 ? inode : -1; // no namespace has inode 0 (ProcFilesFuzzTest found "net:[0]")
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isPid(Path p) {
        String name = p.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    public long hostNetns() {
        return hostNetns;
    }

    /** The namespace {@code pid} was in when last read, or -1 for a process not listed by the last scan. */
    long netnsOf(int pid) {
        Reading reading = readings.get(pid);
        return reading == null ? -1 : reading.netns();
    }

    /** Namespaces other than the host's, with at least one process. */
    public Set<Long> others() {
        Set<Long> others = new HashSet<>(pidsByNetns.keySet());
        others.remove(hostNetns);
        return others;
    }

    public List<Integer> pids(long netns) {
        return pidsByNetns.getOrDefault(netns, List.of());
    }

    /**
     * Where the namespace's /proc/net files are read: through its first process that still runs. A
     * namespace's first processes are often its setup's (ip netns exec ... ip addr add), gone a
     * moment later, and a gone process's files read as empty, which must not pass for "no sockets".
     * One readlink a call tells both: a process that has exited (a zombie too) has no ns/net link
     * to read, and one that moved namespace (setns) names another. (A stat of its net directory
     * before it added nothing, at every table read of a busy node's engine.)
     */
    public Path netDir(long netns) {
        if (netns == hostNetns) {
            return host.proc("self", "net");
        }
        for (int pid : pids(netns)) {
            String name = Integer.toString(pid);
            if (netnsOf(name) == netns) {
                return host.proc(name, "net");
            }
        }
        return null;
    }

    /**
     * The interface indexes of a namespace, from the per-interface lists its /proc/net offers
     * (link-layer multicast, IGMP, IPv6 addresses): an up Ethernet-like interface is in at least one.
     */
    public Set<Integer> interfaceIndexes(long netns) {
        Set<Integer> known = interfaceIndexes.get(netns);
        if (known == null) {
            known = readInterfaceIndexes(netns);
            if (!known.isEmpty()) {
                interfaceIndexes.put(netns, known); // an empty answer is read again next time
            }
        }
        return known;
    }

    private Set<Integer> readInterfaceIndexes(long netns) {
        Path dir = netDir(netns);
        if (dir == null) {
            return new HashSet<>();
        }
        return interfaceIndexes(host.lines(dir.resolve("dev_mcast")), host.lines(dir.resolve("if_inet6")),
                host.lines(dir.resolve("igmp")));
    }

    /** The interface indexes in the lines of a namespace's dev_mcast, if_inet6 and igmp. */
    static Set<Integer> interfaceIndexes(List<String> devMcast, List<String> ifInet6, List<String> igmp) {
        Set<Integer> indexes = new HashSet<>();
        for (String line : devMcast) {
            addIndex(indexes, line.trim().split("\\s+"), 0, 10);
        }
        for (String line : ifInet6) {
            addIndex(indexes, line.trim().split("\\s+"), 1, 16);
        }
        for (String line : igmp) {
            if (!line.startsWith("Idx") && !line.startsWith(" ") && !line.startsWith("\t")) {
                addIndex(indexes, line.trim().split("\\s+"), 0, 10);
            }
        }
        return indexes;
    }

    private static void addIndex(Set<Integer> indexes, String[] fields, int at, int radix) {
        if (fields.length > at) {
            try {
                int index = Integer.parseInt(fields[at], radix);
                if (index > 0) { // the kernel's interface indexes start at 1
                    indexes.add(index);
                }
            } catch (NumberFormatException e) {
                // a header or a wrapped line
            }
        }
    }

    /** Forgets cached interface lists, for when interfaces came or went. */
    public void forgetInterfaces() {
        interfaceIndexes.clear();
    }
}
