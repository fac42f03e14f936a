package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which process holds each socket inode, from the links in /proc/PID/fd. A socket held by several
 * processes goes to the youngest of them (latest start time, then highest PID): stable from scan
 * to scan, and right for the ways sockets come to be shared, which is by inheritance. A forking
 * server's child that serves a connection holds it along with the parent until the parent closes
 * its copy; pre-forked workers share the listener they all serve from; a program started with
 * inherited sockets does the I/O on them. In each case the child is the one doing the work.
 */
public final class SocketOwners {
    private final Map<Long, Integer> ownerByInode;

    private SocketOwners(Map<Long, Integer> ownerByInode) {
        this.ownerByInode = ownerByInode;
    }

    public static SocketOwners empty() {
        return new SocketOwners(Map.of());
    }

    /**
     * Scans only {@code pids}: the few processes likely to own a new socket, in microseconds. With
     * {@code wanted} not null, in their order until every inode of it has an owner. At most
     * {@code maxFds} fd links are read: a server holding tens of thousands of connections would
     * make a quick look take the engine a second (the scale rig's servers did); such a process is
     * left to the full scans.
     */
    public static SocketOwners scan(HostFiles host, ProcessReader processes, Iterable<Integer> pids,
                                    Set<Long> wanted, int maxFds) {
        Map<Long, Integer> owners = new HashMap<>();
        Map<Integer, Long> startTimes = new HashMap<>();
        int[] budget = {maxFds};
        for (int pid : pids) {
            scanProcess(host.proc(Integer.toString(pid), "fd"), pid, owners, startTimes, processes, budget);
            if (budget[0] <= 0 || wanted != null && owners.keySet().containsAll(wanted)) {
                break;
            }
        }
        return new SocketOwners(owners);
    }

    public static SocketOwners scan(HostFiles host, ProcessReader processes) {
        Map<Long, Integer> owners = new HashMap<>();
        Map<Integer, Long> startTimes = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(host.proc(), SocketOwners::isPid)) {
            for (Path pidDir : pids) {
                int pid = Integer.parseInt(pidDir.getFileName().toString());
                scanProcess(pidDir.resolve("fd"), pid, owners, startTimes, processes, new int[] {Integer.MAX_VALUE});
            }
        } catch (IOException | SecurityException | java.nio.file.DirectoryIteratorException e) {
            // /proc itself unreadable: nothing can be attributed, every flow ends up unknown
        }
        return new SocketOwners(owners);
    }

    /** Reads the process's fd links while {@code budget[0]} (fd links left to read) lasts. */
    private static void scanProcess(Path fdDir, int pid, Map<Long, Integer> owners, Map<Integer, Long> startTimes,
                                    ProcessReader processes, int[] budget) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                if (--budget[0] < 0) {
                    return;
                }
                long inode = socketInode(fd);
                if (inode > 0) {
                    owners.merge(inode, pid, (a, b) -> younger(a, b, startTimes, processes));
                }
            }
        } catch (IOException | SecurityException | java.nio.file.DirectoryIteratorException e) {
            // the process exited, or its fds are not ours to read
        }
    }

    private static long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Long.parseLong(target, 8, target.length() - 1, 10);
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            // closed meanwhile
        }
        return -1;
    }

    private static int younger(int a, int b, Map<Integer, Long> startTimes, ProcessReader processes) {
        long ta = startTimes.computeIfAbsent(a, processes::startTime);
        long tb = startTimes.computeIfAbsent(b, processes::startTime);
        if (ta != tb) {
            return ta > tb ? a : b; // a process gone meanwhile reads as -1 and loses
        }
        return Math.max(a, b);
    }

    private static boolean isPid(Path p) {
        String name = p.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /** The PID holding {@code inode}, or -1. */
    public int owner(long inode) {
        return ownerByInode.getOrDefault(inode, -1);
    }

    public int size() {
        return ownerByInode.size();
    }
}
