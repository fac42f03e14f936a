package io.podhogs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podhogs.accounting.Traffic;
import io.podhogs.testing.Await;
import io.podhogs.testing.DockerHost;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image as the chart runs it, on the real Docker engine: built from the Dockerfile on a Debian
 * base made here with debootstrap (nothing can be pulled), with the application packaged once by
 * Maven (APP=prebuilt), then run with the chart's settings: the host's PID and network namespaces,
 * every capability dropped but those the chart grants, a read-only root filesystem with an
 * exec-allowed /tmp, the host's /proc and /etc/passwd mounted read-only, the Docker socket for
 * names. Traffic between two other containers must be attributed to the byte, to the container and
 * to the process that made it (a process of an unprivileged user in another container's network
 * namespace). Then each granted capability is taken away in turn to show what it is for.
 *
 * <p>What this machine cannot show: AppArmor is not enabled here, so the need for the chart's
 * {@code unconfined} profile (a runtime's default profile only lets a container read the /proc of
 * peers under the same profile) is not exercised.
 */
class ImageIT {
    static final String BASE = "podhogs-test/debian:bookworm";
    static final String IMAGE = "podhogs-test/podhogs:it";
    static final List<String> GRANTED = List.of("NET_RAW", "SYS_PTRACE", "DAC_READ_SEARCH");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLOB = 300_000;

    private final DockerHost docker = new DockerHost();
    private final TestNet net = new TestNet();
    private final List<String> agents = new ArrayList<>();
    /** The node's history directory, as the chart's hostPath: the one place the agent writes. */
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path historyDir;
    private String network;
    private String server;
    private String client;
    private String subnet;

    /**
     * Docker 20.10's own client (Debian's docker.io) builds with BuildKit by itself; a newer client
     * needs the buildx plugin for that. BuildKit builds only the stages the variant needs.
     */
    private static String dockerClient() {
        return Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";
    }

    @BeforeAll
    static void buildImage() throws Exception {
        assertTrue(Files.isDirectory(Path.of("target", "quarkus-app")), "mvn package makes target/quarkus-app first");
        Shell.run("src/test/image/debian-base.sh", BASE);
        ProcessBuilder build = new ProcessBuilder(dockerClient(), "build", "--network", "host", "--build-arg",
                "BASE_IMAGE=" + BASE, "--build-arg", "APP=prebuilt", "-t", IMAGE, ".").redirectErrorStream(true);
        build.environment().put("DOCKER_BUILDKIT", "1");
        Process p = build.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "docker build did not end");
        assertEquals(0, p.exitValue(), () -> "docker build failed:\n" + out);
    }

    /** The image goes; the Debian base stays, as a cache: it takes debootstrap half a minute. */
    @AfterAll
    static void removeImage() {
        Shell.runQuietly("docker", "rmi", "-f", IMAGE);
    }

    @BeforeEach
    void twoContainersOnANetworkOfTheirOwn() throws Exception {
        int n = ThreadLocalRandom.current().nextInt(1, 250);
        subnet = "10.233." + n;
        network = docker.name("net");
        Shell.run("docker", "network", "create", "--subnet", subnet + ".0/24", network);
        server = docker.name("server");
        client = docker.name("client");
        docker.run(List.of("--name", server, "--network", network, "--ip", subnet + ".2", "--cap-add", "NET_ADMIN"), "sh", "-c",
                "mkdir -p /www && head -c " + BLOB + " /dev/zero > /www/blob && exec httpd -f -p 8080 -h /www");
        docker.run(List.of("--name", client, "--network", network, "--ip", subnet + ".3", "--cap-add", "NET_ADMIN"),
                "sleep", "3600");
        // A quiet link while a transfer is measured: static neighbours both ways (no ARP), and no
        // IPv6 on the host's side of it (Docker leaves the bridge and the host ends of the veths
        // sending router solicitations and listener reports, which reach the client's eth0).
        Shell.run("docker", "exec", client, "arp", "-s", subnet + ".2", mac(server));
        Shell.run("docker", "exec", server, "arp", "-s", subnet + ".3", mac(client));
        String bridge = "br-" + Shell.run("docker", "network", "inspect", "-f", "{{.Id}}", network).trim().substring(0, 12);
        for (String link : List.of(bridge, docker.hostVeth(client), docker.hostVeth(server))) {
            Shell.run("sysctl", "-qw", "net.ipv6.conf." + link + ".disable_ipv6=1");
        }
        awaitQuietClient();
    }

    /** Waits until the client's eth0 carries nothing for a second. */
    private void awaitQuietClient() {
        // Each read is a second long already: no pause between them.
        Await.until(Duration.ofSeconds(20), Duration.ZERO, () -> {
            Traffic before = clientCounters();
            Thread.sleep(1000);
            return clientCounters().minus(before);
        }, carried -> carried.equals(Traffic.NONE), carried -> "the client's link to go quiet; the last second it carried "
                + carried);
    }

    @AfterEach
    void removeEverything() {
        agents.forEach(a -> Shell.runQuietly("docker", "rm", "-f", a));
        docker.close();
        net.close();
        Shell.runQuietly("docker", "network", "rm", network);
    }

    private String mac(String container) {
        return Shell.run("docker", "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").MacAddress}}",
                container).trim();
    }

    /** The client's eth0 counters: what it sent and received, as its kernel counts. */
    private Traffic clientCounters() {
        String[] v = Shell.run("docker", "exec", client, "cat", "/sys/class/net/eth0/statistics/tx_bytes",
                "/sys/class/net/eth0/statistics/tx_packets", "/sys/class/net/eth0/statistics/rx_bytes",
                "/sys/class/net/eth0/statistics/rx_packets").trim().split("\\s+");
        return new Traffic(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]), Long.parseLong(v[3]));
    }

    /** What one fetch moved: on the client's eth0 (every frame) and in its connection (its own). */
    record Moved(Traffic eth0, Traffic connection) {
    }

    /**
     * The client fetches the blob as {@code user}; the reader starts two seconds late, so the socket
     * lives long enough to be looked up (a process that lives a few milliseconds can be gone first).
     * The connection's own frames are counted by iptables rules in the client's namespace (IP bytes,
     * plus the 14-byte Ethernet header each): a stray frame on the link (an ICMP message, say) is
     * then the container's but not the process's.
     */
    private Moved fetch(String user) {
        long pid = docker.pid(client);
        String server = subnet + ".2";
        Supplier<long[]> out = net.countRuleOf(pid, "OUTPUT", "-p", "tcp", "-d", server, "--dport", "8080");
        Supplier<long[]> in = net.countRuleOf(pid, "INPUT", "-p", "tcp", "-s", server, "--sport", "8080");
        Traffic before = clientCounters();
        Shell.run("docker", "exec", "-u", user, client, "sh", "-c",
                "wget -q -O - http://" + server + ":8080/blob | (sleep 2; cat > /dev/null)");
        Traffic eth0 = clientCounters().minus(before);
        long[] o = out.get();
        long[] i = in.get();
        return new Moved(eth0, new Traffic(o[1] + 14 * o[0], o[0], i[1] + 14 * i[0], i[0]));
    }

    /** The agent container as the chart runs it, with {@code capabilities} granted. */
    private String agent(List<String> capabilities, int port) {
        String name = docker.name("agent" + agents.size());
        List<String> argv = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--pid=host", "--net=host",
                "--cap-drop=ALL", "--read-only", "--tmpfs", "/tmp:exec,size=64m", "--security-opt", "apparmor=unconfined",
                "-v", "/proc:/host/proc:ro", "-v", "/etc/passwd:/host/etc/passwd:ro",
                "-v", historyDir.resolve(name) + ":/var/lib/podhogs",
                "-v", DockerHost.SOCKET + ":" + DockerHost.SOCKET + ":ro",
                "-e", "PODHOGS_PROC_ROOT=/host/proc", "-e", "PODHOGS_ETC_ROOT=/host/etc",
                "-e", "QUARKUS_MANAGEMENT_PORT=" + port, "-e", "QUARKUS_HTTP_PORT=" + apiPort(port),
                "-e", "PODHOGS_METRICS_REFRESH=200ms"));
        capabilities.forEach(c -> argv.add("--cap-add=" + c));
        argv.add(IMAGE);
        Shell.run(argv.toArray(String[]::new));
        agents.add(name);
        return name;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The API's port (127.0.0.1 only) beside the management interface's {@code port} (metrics, health). */
    private static int apiPort(int port) {
        return port + 1;
    }

    /** The rows of one of the API's lists. */
    private static JsonNode get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + apiPort(port) + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r::body);
        JsonNode page = JSON.readTree(r.body());
        assertEquals(0, page.path("remaining").asLong(), () -> "one page holds every row here: " + r.body());
        return page.get("items");
    }

    private static String text(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitReady(String agent, int port) {
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(200), () -> readyStatus(port), status -> status == 200,
                status -> "the agent to be ready (the last status: " + status + ", 0: not listening):\n"
                        + Shell.runQuietly("docker", "logs", agent));
    }

    /** The readiness check's status, or 0 while nothing listens. */
    private static int readyStatus(int port) throws IOException, InterruptedException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (ConnectException e) {
            return 0;
        }
    }

    private static Traffic usage(JsonNode row) {
        JsonNode u = row.path("usage");
        return new Traffic(u.path("sent_bytes").asLong(), u.path("sent_packets").asLong(), u.path("received_bytes").asLong(),
                u.path("received_packets").asLong());
    }

    private static Optional<JsonNode> row(JsonNode rows, Predicate<JsonNode> which) {
        for (JsonNode r : rows) {
            if (which.test(r)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The client container's row now, or nothing: it has a row once something of it is counted. */
    private Traffic clientRow(int port) throws Exception {
        return row(get(port, "/api/v1/containers"), r -> r.path("container").asText().equals(client))
                .map(ImageIT::usage).orElse(Traffic.NONE);
    }

    /** Waits until the client container's row has {@code wanted}: every frame through the engine. */
    private JsonNode awaitClientContainer(int port, Predicate<Traffic> wanted, Traffic truth) {
        return Await.until(Duration.ofSeconds(15), Duration.ofMillis(200),
                () -> row(get(port, "/api/v1/containers"), r -> r.path("container").asText().equals(client)),
                found -> found.isPresent() && wanted.test(usage(found.get())),
                found -> "the client container's row to match the kernel's " + truth + ": " + found.map(ImageIT::usage))
                .get();
    }

    private Optional<JsonNode> wgetOf(int port, String uid) throws Exception {
        return row(get(port, "/api/v1/processes"), r -> r.path("program").asText().equals("wget")
                && r.path("uid").asText().equals(uid) && r.path("container").asText().equals(client));
    }

    @Test
    void withTheChartsPrivilegesAContainersTrafficIsCountedToTheByteForTheContainerAndItsProcess() throws Exception {
        // The link is quiet (static neighbours, no IPv6 on the host's side): until the fetch the
        // client container has no row, or the one it had, unchanged.
        int port = freePort();
        String agent = agent(GRANTED, port);
        awaitReady(agent, port);
        Traffic before = clientRow(port);

        Moved fetched = fetch("1000");
        Traffic moved = fetched.connection();
        assertTrue(moved.receivedBytes() > BLOB, "the blob crossed: " + moved);
        JsonNode after = awaitClientContainer(port, t -> t.equals(before.plus(fetched.eth0())), fetched.eth0());
        assertEquals(before.plus(fetched.eth0()), usage(after), "the container's row grew by what its eth0 carried");

        Optional<JsonNode> wget = Await.until(Duration.ofSeconds(10), Duration.ofMillis(200), () -> wgetOf(port, "1000"),
                w -> w.isPresent() && usage(w.get()).equals(moved),
                w -> "the client's wget (uid 1000) to have a row with every frame of the transfer, nothing else: "
                        + moved + "; the last: " + w.map(ImageIT::usage).map(Traffic::toString).orElse("no row"));
        assertEquals(client, wget.get().path("container").asText(), "the process row names its container");

        // The scrape says the same as the API once the series are refreshed (every 200 ms here).
        long wanted = usage(after).receivedBytes();
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(100), () -> text(port, "/metrics").lines()
                        .filter(l -> l.startsWith("podhogs_container_network_receive_bytes_total{")
                                && l.contains("container=\"" + client + "\""))
                        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .findFirst().orElse(-1),
                scraped -> scraped == wanted, "the container's receive series to say " + wanted + " (-1: no series)");
        String logs = Shell.runQuietly("docker", "logs", agent);
        assertTrue(logs.contains("agent capturing on"), logs);
        // The history, on by default, in the mounted directory: SQLite's native library ran from /tmp.
        assertTrue(logs.contains("agent: recording the node's history into /var/lib/podhogs/history.db"), logs);
        assertFalse(logs.contains("no history recorded"), logs);
        assertEquals("true", Shell.run("docker", "inspect", "-f", "{{.HostConfig.ReadonlyRootfs}}", agent).trim());
    }

    /** The image runs the command line too, without Quarkus (its entry script routes all but agent). */
    @Test
    void theImageRunsTheCommandLine() throws Exception {
        String name = docker.name("cli-version");
        agents.add(name);
        String out = Shell.runQuietly("docker", "run", "--name", name, IMAGE, "--version");
        assertEquals("0", Shell.run("docker", "inspect", "-f", "{{.State.ExitCode}}", name).trim(), out);
        assertEquals("podhogs " + io.podhogs.cli.Version.number(), out.strip());
    }

    @Test
    void eachGrantedCapabilityIsNeeded() throws Exception {
        // Without NET_RAW there is no capture at all: one line, status 2.
        String noRaw = docker.name("agent-noraw");
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--name", noRaw, "--pid=host", "--net=host",
                "--cap-drop=ALL", "--cap-add=SYS_PTRACE", "--cap-add=DAC_READ_SEARCH", "--read-only", "--tmpfs",
                "/tmp:exec", "-v", "/proc:/host/proc:ro", "-e", "PODHOGS_PROC_ROOT=/host/proc",
                "-e", "QUARKUS_HTTP_PORT=" + freePort(), IMAGE));
        agents.add(noRaw);
        String out = Shell.runQuietly(argv.toArray(String[]::new));
        assertEquals("2", Shell.run("docker", "inspect", "-f", "{{.State.ExitCode}}", noRaw).trim(), out);
        assertTrue(out.contains("podhogs: ") && out.contains("no permission to capture"), out);

        // Without SYS_PTRACE nothing of another container can be read: neither its processes'
        // network namespaces (/proc/PID/ns/net) nor their sockets (/proc/PID/fd). Its bytes are
        // counted (to no one's container), never attributed.
        int port = freePort();
        String agent = agent(List.of("NET_RAW", "DAC_READ_SEARCH"), port);
        awaitReady(agent, port);
        Traffic moved = fetch("0").eth0();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertTrue(row(get(port, "/api/v1/containers"), r -> r.path("container").asText().equals(client)).isEmpty(),
                    "without SYS_PTRACE the container is not known");
            Thread.sleep(500);
        }
        assertTrue(moved.receivedBytes() > BLOB, moved::toString);
        Shell.runQuietly("docker", "rm", "-f", agent);
        // Without DAC_READ_SEARCH a process of another user is not seen (its /proc/PID/fd is 0500),
        // one of root still is.
        assertProcessesSeen(List.of("NET_RAW", "SYS_PTRACE"), true, false);
        // With both, both are.
        assertProcessesSeen(GRANTED, true, true);
    }

    /** With {@code capabilities}, whether a root process and a uid-1000 process of the client are attributed. */
    private void assertProcessesSeen(List<String> capabilities, boolean rootSeen, boolean userSeen) throws Exception {
        int port = freePort();
        String agent = agent(capabilities, port);
        awaitReady(agent, port);
        Traffic before = clientRow(port);
        Moved root0 = fetch("0");
        Moved user0 = fetch("1000");
        Traffic asRoot = root0.connection();
        Traffic asUser = user0.connection();
        Traffic both = root0.eth0().plus(user0.eth0());
        awaitClientContainer(port, t -> t.equals(before.plus(both)), both);
        String what = "with " + capabilities + ": ";
        Optional<JsonNode> root = wgetOf(port, "0");
        Optional<JsonNode> user = wgetOf(port, "1000");
        // Seen: the process's row is its connection, to the byte.
        assertEquals(rootSeen, root.map(r -> usage(r).equals(asRoot)).orElse(false),
                () -> what + "root's wget " + (rootSeen ? "attributed" : "not attributed") + ": moved " + asRoot + ", row " + root);
        assertEquals(userSeen, user.map(r -> usage(r).equals(asUser)).orElse(false),
                () -> what + "uid 1000's wget " + (userSeen ? "attributed" : "not attributed") + ": moved " + asUser + ", row " + user);
        Shell.runQuietly("docker", "rm", "-f", agent);
    }
}
