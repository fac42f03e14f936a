package io.podhogs.engine;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A host's /proc and /sys, written by the test as the kernel shows them: the host namespace's
 * socket tables and addresses (10.0.0.1), processes with their sockets and cgroup, and network
 * devices. What the engine reads of the host it reads here.
 */
final class HostTree {
    static final String LOCAL = "10.0.0.1";
    private static final String SOCKETS_HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    final HostFiles files;

    HostTree(Path root) {
        files = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
        write(files.proc("self", "net", "fib_trie"), String.join("\n", "Local:", "  +-- 10.0.0.0/24 2 0 2",
                "     |-- 10.0.0.1", "        /32 host LOCAL", ""));
        write(files.proc("self", "net", "if_inet6"), "");
        for (String table : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            write(files.proc("self", "net", table), SOCKETS_HEADER);
        }
        try {
            Files.createDirectories(files.sys("class", "net"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line of /proc/net/{@code table} (tcp, udp): IPv4 ends, the TCP state, the inode. */
    void socket(String table, String local, int localPort, String remote, int remotePort, int state, long inode) {
        String line = String.format("   0: %s:%04X %s:%04X %02X 00000000:00000000 00:00000000 00000000  1000"
                        + "        0 %d 1 0000000000000000 20 4 0 10 -1%n",
                hex(local), localPort, hex(remote), remotePort, state, inode);
        append(files.proc("self", "net", table), line);
    }

    /** A process holding {@code socketInodes}, in the cgroup {@code cgroupPath} names. */
    void process(int pid, long startTime, String program, String cgroupPath, long... socketInodes) {
        Path dir = files.proc(Integer.toString(pid));
        write(dir.resolve("stat"), pid + " (" + program + ") S" + " 1".repeat(18) + " " + startTime + " 0 0");
        write(dir.resolve("status"), "Name:\t" + program + "\nUid:\t1000\t1000\t1000\t1000\n");
        write(dir.resolve("comm"), program + "\n");
        write(dir.resolve("cmdline"), "/usr/bin/" + program + "\0");
        write(dir.resolve("cgroup"), "0::" + cgroupPath + "\n");
        try {
            Files.createDirectories(dir.resolve("fd"));
            int fd = 3;
            for (long inode : socketInodes) {
                Files.createSymbolicLink(dir.resolve("fd").resolve(Integer.toString(fd++)),
                        Path.of("socket:[" + inode + "]"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An Ethernet device that is up, with the MAC address 02:00:00:00:00:ifindex: {@code link} its own
     * index for a physical one, a peer's for a veth.
     */
    void device(String name, int ifindex, int link) {
        Path dir = files.sys("class", "net", name);
        write(dir.resolve("ifindex"), ifindex + "\n");
        write(dir.resolve("iflink"), link + "\n");
        write(dir.resolve("type"), "1\n");
        write(dir.resolve("flags"), "0x1003\n");
        write(dir.resolve("address"), String.format("02:00:00:00:00:%02x%n", ifindex & 0xff));
        write(dir.resolve("uevent"), "INTERFACE=" + name + "\nIFINDEX=" + ifindex + "\n");
    }

    void removeDevice(String name) {
        try (Stream<Path> files = Files.walk(this.files.sys("class", "net", name))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An IPv4 address as /proc/net/tcp prints it: the 32 bits in the host's (little-endian) order. */
    private static String hex(String address) {
        String[] o = address.split("\\.");
        return String.format("%02X%02X%02X%02X", Integer.parseInt(o[3]), Integer.parseInt(o[2]),
                Integer.parseInt(o[1]), Integer.parseInt(o[0]));
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
