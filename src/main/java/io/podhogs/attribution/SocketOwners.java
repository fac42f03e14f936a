package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Which process holds each socket inode, from the links in /proc/PID/fd. A socket held by several
 * processes (inherited across fork, shared by SO_REUSEPORT workers) goes to the oldest of them
 * (earliest start time, then lowest PID): stable from scan to scan and, for a forking server, the
 * parent, whose children keep the connections they accept themselves.
 */
public final class SocketOwners {
    private final Map<Long, Integer> ownerByInode;

    private SocketOwners(Map<Long, Integer> ownerByInode) {
        this.ownerByInode = ownerByInode;
    }

    public static SocketOwners empty() {
        return new SocketOwners(Map.of());
    }

    public static SocketOwners scan(HostFiles host, ProcessReader processes) {
        Map<Long, Integer> owners = new HashMap<>();
        Map<Integer, Long> startTimes = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(host.proc(), SocketOwners::isPid)) {
            for (Path pidDir : pids) {
                int pid = Integer.parseInt(pidDir.getFileName().toString());
                scanProcess(pidDir.resolve("fd"), pid, owners, startTimes, processes);
            }
        } catch (IOException | SecurityException e) {
            // /proc itself unreadable: nothing can be attributed, every flow ends up unknown
        }
        return new SocketOwners(owners);
    }

    private static void scanProcess(Path fdDir, int pid, Map<Long, Integer> owners, Map<Integer, Long> startTimes,
                                    ProcessReader processes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                long inode = socketInode(fd);
                if (inode > 0) {
                    owners.merge(inode, pid, (a, b) -> older(a, b, startTimes, processes));
                }
            }
        } catch (IOException | SecurityException e) {
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

    private static int older(int a, int b, Map<Integer, Long> startTimes, ProcessReader processes) {
        long ta = startTimes.computeIfAbsent(a, processes::startTime);
        long tb = startTimes.computeIfAbsent(b, processes::startTime);
        if (ta != tb) {
            return ta < tb && ta >= 0 || tb < 0 ? a : b;
        }
        return Math.min(a, b);
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
