package io.podhogs.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real Docker engine of this machine (.ci/run starts dockerd), with a test image made by
 * {@code docker import} from the host's static busybox, since no image can be pulled, and the
 * containers a test starts, removed by {@link #close()}.
 */
public final class DockerHost implements AutoCloseable {
    public static final String SOCKET = "/var/run/docker.sock";
    public static final String IMAGE = "podhogs-test/busybox:2";
    private final List<String> containers = new ArrayList<>();
    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 9999));

    public DockerHost() {
        if (!Files.exists(Path.of(SOCKET))) {
            throw new IllegalStateException("no Docker daemon at " + SOCKET + ": .ci/run starts dockerd");
        }
        if (Shell.runQuietly("docker", "image", "inspect", IMAGE).contains("No such image")) {
            Shell.run("sh", "-c", "set -e; d=$(mktemp -d); mkdir $d/bin; cp /bin/busybox $d/bin/;"
                    + " for c in sh nc sleep cat head dd echo ls ip wget httpd arp mkdir; do ln -s busybox $d/bin/$c; done;"
                    + " tar -C $d -c . | docker import - " + IMAGE + "; rm -rf $d");
        }
    }

    /** A name no other test run uses. */
    public String name(String base) {
        return "ph" + tag + "-" + base;
    }

    /** docker run -d with these arguments before the image, and the command after it; returns the full ID. */
    public String run(List<String> options, String... command) {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "-d"));
        argv.addAll(options);
        argv.add(IMAGE);
        argv.addAll(List.of(command));
        String id = Shell.run(argv.toArray(String[]::new)).trim();
        id = id.lines().reduce((a, b) -> b).orElse(id);
        containers.add(id);
        return id;
    }

    public long pid(String id) {
        return Long.parseLong(Shell.run("docker", "inspect", "-f", "{{.State.Pid}}", id).trim());
    }

    /** The inode of the container's network namespace. */
    public long netns(String id) throws java.io.IOException {
        return Long.parseLong(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid(id)), "ns", "net"))
                .toString().replaceAll("\\D", ""));
    }

    /** The host end of the container's veth, found from the iflink of its eth0. */
    public String hostVeth(String id) throws java.io.IOException {
        String peer = Shell.run("docker", "exec", id, "cat", "/sys/class/net/eth0/iflink").trim();
        try (java.util.stream.Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            for (Path link : links.toList()) {
                if (Files.readString(link.resolve("ifindex")).trim().equals(peer)) {
                    return link.getFileName().toString();
                }
            }
        }
        throw new AssertionError("no host interface with index " + peer);
    }

    @Override
    public void close() {
        for (String id : containers) {
            Shell.runQuietly("docker", "rm", "-f", id);
        }
    }
}
