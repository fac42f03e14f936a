package io.podhogs.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podhogs.accounting.Traffic;
import io.podhogs.testing.Await;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Host;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code podhogs agent} as it runs in production: the packaged jar in a JVM of its own (run by
 * failsafe after {@code package}), configured through environment variables as the chart does.
 * What only a real process shows: JSON logs on the console, metrics and health on one port and the
 * API on another, SIGTERM ending it with status 0 (busy or not, within 5 s, and through a watchdog
 * when a step of the stop hangs), an OutOfMemoryError ending it with the JVM options the chart and
 * the image give it, a capture thread stalled by a debugger turning liveness red, a bad setting
 * ending it with one line and status 2, and the command line opening neither port.
 */
class AgentJarIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestNet net = new TestNet();
    private final List<Process> started = new ArrayList<>();

    private final List<Path> logs = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        started.forEach(Process::destroyForcibly);
        net.close();
        for (Path log : logs) {
            Files.deleteIfExists(log); // files first, then their directory
        }
        for (Path dir : historyDirs) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private final List<Path> historyDirs = new ArrayList<>();

    /** A history file in a directory of its own (the file, its -wal and -shm, its writer lock): removed after the test. */
    private Path historyFile() throws IOException {
        Path dir = Files.createTempDirectory("podhogs-history");
        historyDirs.add(dir);
        return dir.resolve("history.db");
    }

    private Path log(String name) throws IOException {
        Path file = Files.createTempFile(name, ".log");
        logs.add(file);
        return file;
    }

    private Process podhogs(Map<String, String> env, Path output, String... args) throws IOException {
        return podhogs(List.of("-XX:+UseSerialGC", "-Xmx256m"), env, output, args);
    }

    private Process podhogs(List<String> jvmOptions, Map<String, String> env, Path output, String... args)
            throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is made by mvn package, which runs before this test");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        // Each agent records its history (on by default) into a file of its own, not the host's.
        builder.environment().putIfAbsent("PODHOGS_HISTORY_FILE", historyFile().toString());
        Process p = builder.start();
        started.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady(int port, Process p, Path output) {
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
            assertTrue(p.isAlive(), () -> "the agent ended:\n" + read(output));
            return readyStatus(port);
        }, status -> status == 200, status -> "the agent to be ready (the last answer: " + status + "):\n" + read(output));
    }

    /** The readiness check's status, or 0 while nothing listens. */
    private static int readyStatus(int port) throws IOException, InterruptedException {
        try {
            return get(port, "/q/health/ready").statusCode();
        } catch (ConnectException e) {
            return 0;
        }
    }

    /** What the veth's series say and what its kernel counts, read together. */
    private record Series(Traffic kernel, Traffic scraped) {
    }

    /** Waits until the veth's series say what its kernel counters do. */
    private static void awaitInterfaceSeries(int port, Host h, Path output) {
        Map<String, String> iface = Map.of("interface", h.hostIf());
        Await.until(Duration.ofSeconds(15), Duration.ofMillis(100), () -> {
            Traffic kernel = Counters.of(h.hostIf());
            Scrape scrape = new Scrape(get(port, "/metrics").body());
            return new Series(kernel, new Traffic(
                    scrape.value("podhogs_interface_network_transmit_bytes_total", iface).orElse(0.0).longValue(),
                    scrape.value("podhogs_interface_network_transmit_packets_total", iface).orElse(0.0).longValue(),
                    scrape.value("podhogs_interface_network_receive_bytes_total", iface).orElse(0.0).longValue(),
                    scrape.value("podhogs_interface_network_receive_packets_total", iface).orElse(0.0).longValue()));
        }, s -> s.scraped().equals(s.kernel()), s -> "the veth's series to match its kernel counters " + s.kernel()
                + "; the last scrape: " + s.scraped() + "\n--- its capture series\n" + captureSeries(port)
                + "--- the agent's log\n" + read(output));
    }

    private static String captureSeries(int port) {
        try {
            return get(port, "/metrics").body().lines().filter(l -> l.startsWith("podhogs_capture"))
                    .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        } catch (Exception e) {
            return "(no scrape: " + e + ")\n";
        }
    }

    private static String read(Path output) {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Test
    void theAgentLogsInJsonCountsTheVethToTheByteAndEndsWithStatusZeroOnSigterm() throws Exception {
        Host h = net.createHost();
        int port = freePort();
        int apiPort = freePort();
        Path output = log("podhogs-agent");
        Process agent = podhogs(Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(port), "QUARKUS_HTTP_PORT",
                Integer.toString(apiPort), "PODHOGS_INTERFACES", h.hostIf(), "PODHOGS_KUBERNETES_MODE", "off",
                "PODHOGS_METRICS_REFRESH", "200ms", "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"), output, "agent");
        awaitReady(port, agent, output);
        HttpResponse<String> interfaces = get(apiPort, "/api/v1/interfaces");
        assertEquals(200, interfaces.statusCode(), interfaces::body);
        assertTrue(interfaces.body().startsWith("{\"items\":["), interfaces::body);
        net.bringUp(h);
        net.sendToPeer(h, "5731", 250_000);

        awaitInterfaceSeries(port, h, output);
        assertEquals(200, get(port, "/q/health/live").statusCode());

        agent.destroy(); // SIGTERM
        assertTrue(agent.waitFor(20, TimeUnit.SECONDS), () -> "SIGTERM did not end the agent:\n" + read(output));
        assertEquals(0, agent.exitValue(), () -> read(output));

        List<String> lines = Files.readAllLines(output);
        assertFalse(lines.isEmpty(), "the agent logged nothing");
        List<String> messages = new ArrayList<>();
        for (String line : lines) {
            JsonNode entry;
            try {
                entry = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("a console line that is not JSON: " + line + "\n--- all of it:\n" + read(output));
            }
            assertTrue(entry.hasNonNull("timestamp") && entry.hasNonNull("level") && entry.hasNonNull("loggerName"),
                    () -> "a log entry without timestamp, level or logger: " + line);
            messages.add(entry.path("message").asText());
        }
        assertTrue(messages.stream().anyMatch(m -> m.contains(h.hostIf())), () -> "no line says what is captured: " + messages);
    }

    /** curl's status code for {@code url} (0: no HTTP answer), and the body after it. */
    private static String[] curl(String url) {
        String out = io.podhogs.testing.Shell.runQuietly("curl", "-sk", "--max-time", "5", "-o", "-", "-w", "\n%{http_code}",
                url);
        int cut = out.lastIndexOf('\n');
        return new String[] {out.substring(cut + 1).strip(), out.substring(0, cut)};
    }

    @Test
    void metricsAndHealthOverTlsWithTheCertificateGiven() throws Exception {
        // What the chart's agent.metrics.tlsSecret sets: a certificate and key the management interface serves.
        Path dir = Files.createTempDirectory("podhogs-tls");
        logs.add(dir.resolve("tls.crt"));
        logs.add(dir.resolve("tls.key"));
        logs.add(dir);
        io.podhogs.testing.Shell.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                "/CN=podhogs", "-keyout", dir.resolve("tls.key").toString(), "-out", dir.resolve("tls.crt").toString());
        int port = freePort();
        Path output = log("podhogs-agent-tls");
        Process agent = podhogs(Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(port), "QUARKUS_HTTP_PORT",
                Integer.toString(freePort()), "QUARKUS_MANAGEMENT_SSL_CERTIFICATE_FILES", dir.resolve("tls.crt").toString(),
                "QUARKUS_MANAGEMENT_SSL_CERTIFICATE_KEY_FILES", dir.resolve("tls.key").toString(),
                "PODHOGS_KUBERNETES_MODE", "off", "PODHOGS_METRICS_REFRESH", "200ms"), output, "agent");
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            assertTrue(agent.isAlive(), () -> "the agent ended:\n" + read(output));
            return curl("https://127.0.0.1:" + port + "/q/health/ready");
        }, ready -> ready[0].equals("200"), ready -> "the agent to be ready over HTTPS (the last status: " + ready[0]
                + "):\n" + read(output));
        String[] metrics = curl("https://127.0.0.1:" + port + "/metrics");
        assertEquals("200", metrics[0]);
        assertTrue(metrics[1].contains("podhogs_capture_running"), metrics[1]);
        String[] plain = curl("http://127.0.0.1:" + port + "/metrics");
        assertFalse(plain[0].equals("200"), "no plain HTTP beside it: " + plain[0]);
        String certificate = io.podhogs.testing.Shell.run("sh", "-c", "openssl s_client -connect 127.0.0.1:" + port
                + " </dev/null 2>/dev/null | openssl x509 -noout -subject");
        assertTrue(certificate.contains("CN = podhogs") || certificate.contains("CN=podhogs"), certificate);
        agent.destroy();
        assertTrue(agent.waitFor(20, TimeUnit.SECONDS));
    }

    @Test
    void aSettingThatCannotBeReadIsOneLineAndStatusTwo() throws Exception {
        Path output = log("podhogs-agent");
        Process agent = podhogs(Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort()), "QUARKUS_HTTP_PORT",
                Integer.toString(freePort()), "PODHOGS_SNAPLEN", "abc",
                "PODHOGS_KUBERNETES_MODE", "off"), output, "agent");
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent did not stop on a bad setting");
        assertEquals(2, agent.exitValue(), () -> read(output));
        List<String> lines = Files.readAllLines(output).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), () -> "one line, no stack trace:\n" + read(output));
        assertTrue(lines.get(0).startsWith("podhogs: cannot start: ") && lines.get(0).contains("podhogs.snaplen")
                && lines.get(0).contains("abc"), lines.get(0));
    }

    @Test
    void theCommandLineFromTheJarOpensNoPort() throws Exception {
        Host h = net.createHost();
        net.bringUp(h);
        int port = freePort();
        int apiPort = freePort();
        Path output = log("podhogs-cli");
        // Trace mode for five refreshes of half a second: long enough to try the ports while it runs.
        Process cli = podhogs(Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(port), "QUARKUS_HTTP_PORT",
                Integer.toString(apiPort)), output, "-t", "-d", "0.5", "-c", "6", h.hostIf());
        // Once it prints its first refresh it is up; an agent would be listening by then. (A command
        // line that ended first ends the wait too: the assertion after it tells.)
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(50), () -> read(output).contains("Refreshing:") || !cli.isAlive(),
                () -> "a first refresh:\n" + read(output));
        assertTrue(read(output).contains("Refreshing:"), () -> "no first refresh:\n" + read(output));
        long until = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < until && cli.isAlive()) {
            for (int p : new int[] {port, apiPort}) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", p), 200);
                    fail("the command line listens on " + p + ":\n" + read(output));
                } catch (ConnectException e) {
                    // refused: as it should be
                }
            }
            Thread.sleep(100);
        }
        assertTrue(cli.isAlive(), () -> "the trace ended before the port was tried long enough:\n" + read(output));
        assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "the trace did not end after its refreshes");
        assertEquals(0, cli.exitValue(), () -> read(output));
        assertTrue(read(output).contains("Refreshing:"), () -> "no trace output:\n" + read(output));
    }

    private static final ObjectMapper HEALTH = new ObjectMapper();

    /** The names of the liveness checks that are DOWN. */
    private static List<String> down(int port) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode check : HEALTH.readTree(get(port, "/q/health/live").body()).path("checks")) {
            if (check.path("status").asText().equals("DOWN")) {
                names.add(check.path("name").asText());
            }
        }
        return names;
    }

    /** The agent's log goes with a failure: whether its stall watch said anything is the first question. */
    private static void awaitLive(int port, int status, String what, Path output) {
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(50), () -> get(port, "/q/health/live"),
                r -> r.statusCode() == status, r -> what + " (status " + status + "); the last answer: " + r.statusCode()
                        + " " + r.body() + "\n--- the agent's log\n" + read(output));
    }

    /**
     * The agent records by default; its stop writes what came since the last flush (here the only
     * one: flushes ten minutes apart). A routed veth's bytes are in the history for both its sides.
     */
    @Test
    void theAgentsHistoryHoldsEveryByteOfTheVethOnceItHasStopped() throws Exception {
        Host h = net.createHost();
        int port = freePort();
        Path output = log("podhogs-agent");
        Path history = historyFile();
        Process agent = podhogs(Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(port), "QUARKUS_HTTP_PORT",
                Integer.toString(freePort()), "PODHOGS_INTERFACES", h.hostIf(), "PODHOGS_KUBERNETES_MODE", "off",
                "PODHOGS_METRICS_REFRESH", "200ms", "PODHOGS_HISTORY_FILE", history.toString(),
                "PODHOGS_HISTORY_FLUSH_INTERVAL", "600s"), output, "agent");
        awaitReady(port, agent, output);
        net.bringUp(h);
        // The sender closes its connection after it is done: its last frames are in before the stop.
        net.sendToPeer(h, "5795", 400_000).awaitExit(Duration.ofSeconds(10));
        Thread.sleep(500);
        awaitInterfaceSeries(port, h, output);
        agent.destroy(); // SIGTERM
        assertTrue(agent.waitFor(20, TimeUnit.SECONDS), () -> "SIGTERM did not end the agent:\n" + read(output));
        assertEquals(0, agent.exitValue(), () -> read(output));
        assertTrue(read(output).contains("agent: recording the node's history into " + history), () -> read(output));
        Traffic kernel = Counters.of(h.hostIf());
        long carried = kernel.sentBytes() + kernel.receivedBytes();
        long frames = kernel.sentPackets() + kernel.receivedPackets();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = io.podhogs.cli.Cli.execute(new String[] {"history", "--file", history.toString(), "--5min", "-o",
                "json", "--top", "1000"}, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), io.podhogs.host.HostFiles.system());
        assertEquals(0, status, err::toString);
        long[] sum = new long[4];
        for (String line : out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            JsonNode row = HEALTH.readTree(line);
            sum[0] += row.path("sent_bytes").asLong();
            sum[1] += row.path("received_bytes").asLong();
            sum[2] += row.path("sent_packets").asLong();
            sum[3] += row.path("received_packets").asLong();
        }
        assertEquals(List.of(carried, carried, frames, frames), List.of(sum[0], sum[1], sum[2], sum[3]),
                () -> "the history's programs against the veth's counters " + kernel + ":\n" + out);
    }

    @Test
    void sigtermEndsABusyAgentWithinFiveSecondsWithStatusZero() throws Exception {
        Host h = net.createHost();
        net.bringUp(h);
        int port = freePort();
        Path output = log("podhogs-agent");
        int apiPort = freePort();
        Process agent = podhogs(Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(port), "QUARKUS_HTTP_PORT",
                Integer.toString(apiPort), "PODHOGS_KUBERNETES_MODE", "off", "PODHOGS_METRICS_REFRESH", "200ms"),
                output, "agent");
        awaitReady(port, agent, output);
        // Busy: a transfer as fast as the veth goes, short flows from processes that come and go,
        // and clients asking for every list the agent serves, all while the signal comes.
        net.start(h.ns(), "tcp-sink", h.peerV4(), "5771").expect("ready");
        net.start(null, "tcp-send", h.peerV4(), "5771", "--bytes", "100000000000", "--hold", "0").expect("ready");
        net.start(h.ns(), "udp-sink", h.peerV4(), "5772").expect("ready");
        net.start(null, "udp-forks", h.peerV4(), "5772", "--count", "20000", "--flows", "10", "--size", "100",
                "--hold", "0.2", "--wave", "20").expect("ready");
        java.util.concurrent.atomic.AtomicBoolean asking = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (String path : List.of("/metrics", "/api/v1/connections", "/api/v1/processes", "/q/health/live")) {
            int served = path.startsWith("/api/") ? apiPort : port;
            Thread t = new Thread(() -> {
                while (asking.get()) {
                    try {
                        get(served, path);
                    } catch (Exception e) {
                        // refused once the agent stops listening: ask again until told to stop
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            clients.add(t);
        }
        Thread.sleep(3000);
        assertTrue(agent.isAlive(), () -> read(output));

        long signalled = System.nanoTime();
        agent.destroy(); // SIGTERM
        boolean ended = agent.waitFor(20, TimeUnit.SECONDS);
        long took = System.nanoTime() - signalled;
        asking.set(false);
        assertTrue(ended, () -> "SIGTERM did not end the busy agent:\n" + read(output));
        assertTrue(took < 5_000_000_000L, () -> "the busy agent took " + took / 1_000_000 + " ms to stop:\n" + read(output));
        // A stop that fits in the watchdog's 4 s ends with 0; one the load slowed past them, by the
        // watchdog, with 1 and its line: either way within the time.
        boolean watchdog = read(output).contains("podhogs did not stop within 4 s of being asked");
        assertEquals(watchdog ? 1 : 0, agent.exitValue(), () -> read(output));
    }

    @Test
    void aStopThatHangsIsEndedByTheWatchdogWithinFiveSeconds() throws Exception {
        int port = freePort();
        int debug = freePort();
        Path output = log("podhogs-agent");
        Process agent = podhogs(List.of("-XX:+UseSerialGC", "-Xmx256m", io.podhogs.testing.Debugger.jvmOption(debug)),
                Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(port), "QUARKUS_HTTP_PORT",
                        Integer.toString(freePort()), "PODHOGS_KUBERNETES_MODE", "off", "PODHOGS_INTERFACES", "lo"), output, "agent");
        awaitReady(port, agent, output);
        try (io.podhogs.testing.Debugger debugger = io.podhogs.testing.Debugger.attach(debug)) {
            // Whichever thread runs the agent's stop is held there, as a step that never returns would hold it.
            debugger.hold("io.podhogs.agent.Agent", "close");
            long signalled = System.nanoTime();
            agent.destroy(); // SIGTERM
            assertTrue(agent.waitFor(20, TimeUnit.SECONDS), () -> "the watchdog did not end the agent:\n" + read(output));
            long took = System.nanoTime() - signalled;
            assertTrue(took < 5_000_000_000L, () -> "the hung stop took " + took / 1_000_000 + " ms:\n" + read(output));
        }
        assertEquals(1, agent.exitValue(), () -> read(output));
        List<String> said = Files.readAllLines(output).stream().filter(l -> l.contains("did not stop")).toList();
        assertEquals(1, said.size(), () -> read(output));
        // Quarkus marks what is logged once its stop has begun: "[Error Occurred After Shutdown]".
        assertTrue(said.get(0).startsWith("podhogs: ERROR podhogs did not stop within 4 s of being asked (still stopping"
                + " the agent): ending it now"), () -> read(output));
    }

    @Test
    void aCaptureThreadThatIsBlockedTurnsLivenessRedUntilItMovesAgainAndLosesNothing() throws Exception {
        Host h = net.createHost();
        int port = freePort();
        int debug = freePort();
        Path output = log("podhogs-agent");
        Process agent = podhogs(List.of("-XX:+UseSerialGC", "-Xmx256m", io.podhogs.testing.Debugger.jvmOption(debug)),
                Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(port), "QUARKUS_HTTP_PORT",
                        Integer.toString(freePort()), "PODHOGS_INTERFACES", h.hostIf(),
                        "PODHOGS_KUBERNETES_MODE", "off", "PODHOGS_METRICS_REFRESH", "200ms"), output, "agent");
        awaitReady(port, agent, output);
        net.bringUp(h);
        try (io.podhogs.testing.Debugger debugger = io.podhogs.testing.Debugger.attach(debug)) {
            // The capture thread held by the debugger: its next frame from libpcap goes nowhere.
            debugger.suspend("podhogs-capture-any");
            // Frames keep coming while it is held: frames that arrive between its last taken frame and
            // the watch's next look cannot be told from taken ones (StallWatch's limits), later ones can.
            // Few a second: each waits alone in a ring block the held loop does not free (TPACKET_V3
            // retires a block at its timeout), and the ring's blocks must outlast the wait.
            net.start(h.ns(), "udp-sink", h.peerV4(), "5781").expect("ready");
            TestNet.Endpoint stream = net.udpStream(null, h.peerV4(), 5781, 5, Duration.ofSeconds(60));
            awaitLive(port, 503, "liveness turning red", output);
            assertEquals(List.of("capture"), down(port), () -> read(output));
            stream.process().destroy();
            stream.awaitExit(Duration.ofSeconds(10));
            debugger.resume("podhogs-capture-any");
            awaitLive(port, 200, "liveness green again once the thread moves", output);
        }
        // What the kernel queued meanwhile was taken when the thread moved: every byte.
        awaitInterfaceSeries(port, h, output);
        assertTrue(read(output).contains("capture on any stalled: took none of the"), () -> read(output));
    }

    /** The JVM options a deployment gives the agent: the chart's javaOpts, the image's JAVA_OPTS. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> deployedJvmOptions() throws IOException {
        java.util.regex.Matcher chart = java.util.regex.Pattern.compile("(?m)^javaOpts: \"(.*)\"$")
                .matcher(Files.readString(Path.of("helm", "podhogs", "values.yaml")));
        java.util.regex.Matcher image = java.util.regex.Pattern.compile("(?m)^ENV JAVA_OPTS=\"(.*)\"$")
                .matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(chart.find() && image.find(), "javaOpts in values.yaml, JAVA_OPTS in the Dockerfile");
        return java.util.stream.Stream.of(org.junit.jupiter.params.provider.Arguments.of("the chart's javaOpts", chart.group(1)),
                org.junit.jupiter.params.provider.Arguments.of("the image's JAVA_OPTS", image.group(1)));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("deployedJvmOptions")
    void anOutOfMemoryErrorEndsTheAgent(String source, String options) throws Exception {
        List<String> jvm = new ArrayList<>(List.of(options.split(" +")));
        jvm.add("-Xmx128m"); // the options as deployed, on a heap quick to fill (it overrides MaxRAMPercentage)
        int port = freePort();
        Path output = log("podhogs-agent");
        Process agent = podhogs(jvm, Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(port), "QUARKUS_HTTP_PORT",
                Integer.toString(freePort()), "PODHOGS_KUBERNETES_MODE", "off", "PODHOGS_INTERFACES", "lo"), output, "agent");
        awaitReady(port, agent, output);
        // A thread of the agent's own takes the heap until an OutOfMemoryError.
        io.podhogs.testing.HeapExhauster.loadInto(agent.pid());
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), () -> "the agent outlived its OutOfMemoryError:\n" + read(output));
        assertEquals(3, agent.exitValue(), () -> read(output));
        assertTrue(read(output).contains("Terminating due to java.lang.OutOfMemoryError: Java heap space"), () -> read(output));
    }
}
