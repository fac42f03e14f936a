package io.podhogs.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podhogs.accounting.Traffic;
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
 * API on another, SIGTERM ending it with status 0, a bad setting ending it with one line and status
 * 2, and the command line opening neither port.
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
    }

    private Path log(String name) throws IOException {
        Path file = Files.createTempFile(name, ".log");
        logs.add(file);
        return file;
    }

    private Process podhogs(Map<String, String> env, Path output, String... args) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is made by mvn package, which runs before this test");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
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

    private static void awaitReady(int port, Process p, Path output) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> "the agent ended:\n" + read(output));
            try {
                if (get(port, "/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("the agent never became ready:\n" + read(output));
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

        Map<String, String> iface = Map.of("interface", h.hostIf());
        long deadline = System.nanoTime() + 15_000_000_000L;
        Traffic scraped = Traffic.NONE;
        Traffic kernel = Traffic.NONE;
        while (System.nanoTime() < deadline) {
            kernel = Counters.of(h.hostIf());
            Scrape scrape = new Scrape(get(port, "/metrics").body());
            scraped = new Traffic(
                    scrape.value("podhogs_interface_network_transmit_bytes_total", iface).orElse(0.0).longValue(),
                    scrape.value("podhogs_interface_network_transmit_packets_total", iface).orElse(0.0).longValue(),
                    scrape.value("podhogs_interface_network_receive_bytes_total", iface).orElse(0.0).longValue(),
                    scrape.value("podhogs_interface_network_receive_packets_total", iface).orElse(0.0).longValue());
            if (scraped.equals(kernel)) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(kernel, scraped, "the veth's series against its kernel counters");
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
        long deadline = System.nanoTime() + 60_000_000_000L;
        String[] ready = curl("https://127.0.0.1:" + port + "/q/health/ready");
        while (!ready[0].equals("200") && System.nanoTime() < deadline) {
            assertTrue(agent.isAlive(), () -> "the agent ended:\n" + read(output));
            Thread.sleep(200);
            ready = curl("https://127.0.0.1:" + port + "/q/health/ready");
        }
        assertEquals("200", ready[0], () -> "never ready over HTTPS:\n" + read(output));
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
        // Once it prints its first refresh it is up; an agent would be listening by then.
        long started = System.nanoTime() + 60_000_000_000L;
        while (!read(output).contains("Refreshing:") && cli.isAlive() && System.nanoTime() < started) {
            Thread.sleep(50);
        }
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
}
