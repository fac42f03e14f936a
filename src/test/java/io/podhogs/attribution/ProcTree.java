package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A /proc tree written by a test, in the formats the kernel gives: a process's stat (its start time
 * in field 22), status, comm and cmdline, its network namespace link, and descriptors linking to
 * sockets. The attribution tests read it through {@link #host()} as podhogs reads the real one.
 */
final class ProcTree {
    /** The inodes of two network namespaces, as /proc/PID/ns/net names them. */
    static final long HOST_NETNS = 4026531840L;
    static final long POD_NETNS = 4026532300L;

    private final HostFiles host;

    /** A tree under {@code root} (a test's temporary directory): proc, sys and etc below it. */
    ProcTree(Path root) {
        this.host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
    }

    HostFiles host() {
        return host;
    }

    /**
     * A process named {@code program} started at {@code startTime} (clock ticks since boot): its
     * stat, status (uid 1000), comm and cmdline ({@code /usr/bin/PROGRAM} and {@code args}).
     */
    ProcTree process(int pid, long startTime, String program, String... args) throws IOException {
        Path dir = host.proc(Integer.toString(pid));
        Files.createDirectories(dir.resolve("fd"));
        Files.writeString(dir.resolve("stat"), pid + " (" + program + ") S" + " 1".repeat(18) + " " + startTime + " 0 0");
        Files.writeString(dir.resolve("status"), "Name:\t" + program + "\nUid:\t1000\t1000\t1000\t1000\n");
        Files.writeString(dir.resolve("comm"), program + "\n");
        StringBuilder cmdline = new StringBuilder("/usr/bin/").append(program).append('\0');
        for (String arg : args) {
            cmdline.append(arg).append('\0');
        }
        Files.writeString(dir.resolve("cmdline"), cmdline);
        return this;
    }

    /** Descriptors 3, 4 ... of process {@code pid} (made if need be) linking to sockets of these inodes; one already there stays. */
    ProcTree sockets(int pid, long... inodes) throws IOException {
        Path fd = host.proc(Integer.toString(pid), "fd");
        Files.createDirectories(fd);
        for (int i = 0; i < inodes.length; i++) {
            Path link = fd.resolve(Integer.toString(3 + i));
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("socket:[" + inodes[i] + "]"));
            }
        }
        return this;
    }

    /** The network namespace link of {@code pid} ("self" too), naming {@code netns}; replaces one there. */
    ProcTree netns(String pid, long netns) throws IOException {
        Path ns = host.proc(pid, "ns");
        Files.createDirectories(ns);
        Path link = ns.resolve("net");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("net:[" + netns + "]"));
        return this;
    }

    /** The process has exited and not yet been reaped: its ns/net link can no longer be read (its other files stay). */
    ProcTree exited(String pid) throws IOException {
        Files.delete(host.proc(pid, "ns", "net"));
        return this;
    }
}
