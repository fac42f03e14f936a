package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A veth pair of the test's own: one end in the host's namespace (10.88.N.1), the other in a
 * network namespace created for the test (10.88.N.2), and UDP traffic between the two ends only.
 * {@link #close()} stops the traffic and deletes the namespace, which deletes the pair.
 */
final class Veth implements AutoCloseable {
    /** The UDP port the sink in the namespace listens on. */
    static final int NAMESPACE_PORT = 40111;
    /** The UDP port the sink on the host end listens on. */
    static final int HOST_PORT = 40112;

    /**
     * Sends 1000-byte datagrams to argv[1]:argv[2] at argv[3] a second for at most argv[4] seconds.
     * It runs as {@code python3 -c SCRIPT}: a command line with newlines in it, as sh -c and python -c
     * scripts have, which every output must still show on one line.
     */
    static final String SOURCE = String.join("\n",
            "import socket, sys, time",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "dst = (sys.argv[1], int(sys.argv[2]))",
            "gap = 1.0 / float(sys.argv[3])",
            "end = time.monotonic() + float(sys.argv[4])",
            "s.sendto(b'x' * 1000, dst)",
            "print('ready', flush=True)",
            "while time.monotonic() < end:",
            "    try:",
            "        s.sendto(b'x' * 1000, dst)",
            "    except OSError:",
            "        pass",
            "    time.sleep(gap)",
            "");

    /** Receives on argv[1]:argv[2] for at most argv[3] seconds. */
    static final String SINK = String.join("\n",
            "import socket, sys, time",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.bind((sys.argv[1], int(sys.argv[2])))",
            "s.settimeout(1.0)",
            "print('ready', flush=True)",
            "end = time.monotonic() + float(sys.argv[3])",
            "while time.monotonic() < end:",
            "    try:",
            "        s.recv(65536)",
            "    except socket.timeout:",
            "        pass",
            "");

    final String namespace;
    final String hostDevice;
    final String peerDevice;
    final String hostAddress;
    final String peerAddress;
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    private Veth(String id, int subnet) throws IOException {
        namespace = "phcli-" + id;
        hostDevice = "phc" + id + "h";
        peerDevice = "phc" + id + "n";
        hostAddress = "10.88." + subnet + ".1";
        peerAddress = "10.88." + subnet + ".2";
        dir = Files.createTempDirectory("podhogs-cli-veth");
    }

    /** Fails the calling test unless it can create namespaces and links, and run python3 (.ci/run installs them). */
    static void requireUsable() {
        assertTrue(isRoot(), "needs root: creates a network namespace and captures on a veth pair");
        assertTrue(onPath("ip"), "needs iproute2 (ip)");
        assertTrue(onPath("python3"), "needs python3 for the traffic");
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // the effective UID
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static Veth create() throws Exception {
        String id = String.format("%05x", ThreadLocalRandom.current().nextInt(1 << 20));
        Veth veth = new Veth(id, freeSubnet());
        try {
            veth.ip("netns", "add", veth.namespace);
            veth.ip("link", "add", veth.hostDevice, "type", "veth", "peer", "name", veth.peerDevice,
                    "netns", veth.namespace);
            veth.ip("addr", "add", veth.hostAddress + "/24", "dev", veth.hostDevice);
            veth.ip("link", "set", veth.hostDevice, "up");
            veth.ip("-n", veth.namespace, "addr", "add", veth.peerAddress + "/24", "dev", veth.peerDevice);
            veth.ip("-n", veth.namespace, "link", "set", veth.peerDevice, "up");
            veth.ip("-n", veth.namespace, "link", "set", "lo", "up");
            return veth;
        } catch (Exception | Error e) {
            veth.close();
            throw e;
        }
    }

    /** A third octet for 10.88.N.0/24 that no address of the host uses (other tests may run beside). */
    private static int freeSubnet() throws Exception {
        String addresses = exec(List.of("ip", "-4", "-o", "addr", "show"), Duration.ofSeconds(10)).output();
        Set<Integer> used = new HashSet<>();
        Matcher m = Pattern.compile("inet 10\\.88\\.(\\d+)\\.").matcher(addresses);
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            int candidate = 100 + ThreadLocalRandom.current().nextInt(150);
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.88.N.0/24 subnet among " + used);
    }

    /** A UDP sink bound to the host end. */
    Process hostSink(Duration lifetime) throws Exception {
        return python(List.of(), SINK, hostAddress, Integer.toString(HOST_PORT), seconds(lifetime));
    }

    /** A UDP sink bound to the namespace end. */
    Process namespaceSink(Duration lifetime) throws Exception {
        return python(List.of("ip", "netns", "exec", namespace), SINK, peerAddress, Integer.toString(NAMESPACE_PORT),
                seconds(lifetime));
    }

    /** A process of the host that sends to the namespace's sink, out of the host end. */
    Process hostSource(int packetsPerSecond, Duration lifetime, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(peerAddress, Integer.toString(NAMESPACE_PORT),
                Integer.toString(packetsPerSecond), seconds(lifetime)));
        args.addAll(List.of(more)); // arguments the script does not read: what its command line shows
        return python(List.of(), SOURCE, args.toArray(String[]::new));
    }

    /** A process in the namespace that sends to the host's sink, into the host end. */
    Process namespaceSource(int packetsPerSecond, Duration lifetime) throws Exception {
        return python(List.of("ip", "netns", "exec", namespace), SOURCE, hostAddress, Integer.toString(HOST_PORT),
                Integer.toString(packetsPerSecond), seconds(lifetime));
    }

    private static String seconds(Duration d) {
        return Long.toString(d.toSeconds());
    }

    /** Starts python3 -c SCRIPT ARGS... and waits for it to print "ready". */
    private Process python(List<String> prefix, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("python3", "-u", "-c", script));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "python", ".out");
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        processes.add(p);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.readString(out, StandardCharsets.UTF_8).contains("ready")) {
            if (!p.isAlive() || System.nanoTime() - deadline > 0) {
                fail("python3 did not start (" + String.join(" ", args) + "): " + Files.readString(out));
            }
            Thread.sleep(20);
        }
        return p;
    }

    private void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        Exec r = exec(command, Duration.ofSeconds(20));
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output());
        }
    }

    record Exec(int exit, String output) {
    }

    /** Runs a command to its end and returns its exit status and its output, stdout and stderr together. */
    static Exec exec(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("podhogs-cli-test", ".exec");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectErrorStream(true)
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Exec(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        try {
            // Deleting the namespace deletes its end of the pair, and with it the host's end.
            exec(List.of("ip", "netns", "del", namespace), Duration.ofSeconds(20));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.exists(Path.of("/sys/class/net", hostDevice)) && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            if (Files.exists(Path.of("/sys/class/net", hostDevice))) {
                exec(List.of("ip", "link", "del", hostDevice), Duration.ofSeconds(20));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not clean up " + namespace + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // temporary files only
        }
    }
}
