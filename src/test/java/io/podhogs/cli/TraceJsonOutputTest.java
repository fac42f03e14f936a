package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Await;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -t} and {@code --json} as a script reads them: podhogs in a JVM of its own, watching a veth
 * pair of the test's own with UDP going both ways: a host process sending into the namespace (its
 * sent bytes count), and a host process receiving from it (its received bytes count).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class TraceJsonOutputTest {
    /** nethogs's trace row: program/pid/uid TAB sent TAB received. */
    static final Pattern TRACE_ROW = Pattern.compile("^(.+)/(-?\\d+)/(-?\\d+)\\t(\\S+)\\t(\\S+)$");
    static final Set<String> JSON_KEYS = Set.of("time", "kind", "pid", "uid", "user", "program", "command",
            "interfaces", "sent_bytes", "received_bytes", "sent_packets", "received_packets", "sent_bytes_per_second",
            "received_bytes_per_second", "inferred_sent_bytes", "inferred_received_bytes", "netns", "container_runtime",
            "container_id", "pod_uid", "qos_class", "container_name", "container_image", "namespace", "pod", "container",
            "workload_kind", "workload_name", "node", "labels", "remote_classes", "remote_peers", "exited",
            "kernel_drops", "rejected_frames");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private final TestNet net = new TestNet();
    private TestNet.Host veth;
    private long sender;
    private long receiver;

    @BeforeAll
    void traffic() throws Exception {
        UdpBothWays traffic = UdpBothWays.start(net);
        veth = traffic.veth();
        sender = traffic.sender();
        receiver = traffic.receiver();
    }

    @AfterAll
    void cleanUp() {
        net.close();
    }

    record TraceRow(String name, long pid, long uid, String sent, String received) {
    }

    /** The blocks of a trace, checked line by line against nethogs's format. */
    static List<List<TraceRow>> parseTrace(String out) {
        assertTrue(out.startsWith("\nRefreshing:\n"), () -> "starts as nethogs's trace does:\n" + out);
        List<List<TraceRow>> blocks = new ArrayList<>();
        String[] lines = out.split("\n", -1);
        assertEquals("", lines[lines.length - 1], "ends with a newline");
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                assertEquals("Refreshing:", lines[i + 1], () -> "a blank line starts a block\n" + out);
                blocks.add(new ArrayList<>());
                i++;
                continue;
            }
            Matcher m = TRACE_ROW.matcher(line);
            assertTrue(m.matches(), () -> "a trace row: '" + line + "'\n" + out);
            assertFalse(blocks.isEmpty(), "rows come after Refreshing:");
            blocks.get(blocks.size() - 1).add(new TraceRow(m.group(1), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), m.group(4), m.group(5)));
        }
        return blocks;
    }

    static TraceRow row(List<TraceRow> block, long pid) {
        return block.stream().filter(r -> r.pid() == pid).findFirst().orElse(null);
    }

    static void assertCleanExit(Podhogs.Result r) {
        assertEquals(0, r.exit(), r::toString);
        CliUsageTest.assertNoStackTrace(r.err());
        // stderr is for podhogs's own notes (kernel drops), never for anything else
        assertTrue(r.errLines().stream().allMatch(l -> l.startsWith("podhogs: ")), r::toString);
    }

    @ParameterizedTest(name = "--capture {0}")
    @ValueSource(strings = {"any", "per-device"})
    void traceShowsRefreshingBlocksWithTheSenderAndTheReceiver(String capture) throws Exception {
        Podhogs.Result r = Podhogs.run(RUN_TIMEOUT, "-t", "--capture", capture, "-d", "0.4", "-c", "4",
                veth.hostIf());
        assertCleanExit(r);
        List<List<TraceRow>> blocks = parseTrace(r.out());
        assertEquals(4, blocks.size(), () -> "-c 4: four blocks\n" + r);
        List<TraceRow> last = blocks.get(3);
        TraceRow s = row(last, sender);
        TraceRow v = row(last, receiver);
        assertTrue(s != null && v != null, () -> "rows for the sender " + sender + " and receiver " + receiver + "\n" + r);
        for (TraceRow row : last) {
            assertTrue(row.sent().matches("\\d+\\.\\d{3}") && row.received().matches("\\d+\\.\\d{3}"),
                    () -> "-v 0: KB/s with three decimals: " + row);
        }
        assertTrue(Double.parseDouble(s.sent()) > 0, () -> "the sender sends: " + s);
        assertEquals("0.000", s.received(), () -> "the sender receives nothing: " + s);
        assertTrue(Double.parseDouble(v.received()) > 0, () -> "the receiver receives: " + v);
        assertEquals("0.000", v.sent(), () -> "the receiver sends nothing: " + v);
        assertEquals(0, s.uid(), "runs as root");
        assertTrue(s.name().contains("python3"), s::toString);
        assertFalse(s.name().contains(" "), () -> "the program, not the command line: " + s);
        // The run's summary, on stderr (stdout stays nethogs's trace): a row each, the name last.
        assertTrue(r.err().contains("podhogs: summary of "), r::toString);
        assertTrue(r.errLines().stream().anyMatch(l -> l.endsWith("/" + sender + "/0") && l.contains(" KiB")),
                r::toString);
    }

    /** Ctrl-C ends a run with no -c: its summary is still written, after the last whole block. */
    @Test
    void ctrlCEndsATraceWithItsSummary() throws Exception {
        Path out = Files.createTempFile("podhogs-trace", ".out");
        Path err = Files.createTempFile("podhogs-trace", ".err");
        Process p = new ProcessBuilder(Podhogs.command(List.of(), "-t", "-v", "2", "-d", "0.3", veth.hostIf()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> Files.readString(out).split("Refreshing:",
                    -1).length > 3, done -> done, done -> "three blocks");
            Shell.run("kill", "-INT", Long.toString(p.pid()));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped by Ctrl-C");
            String trace = Files.readString(out);
            // Up to the last block, which the stop may have cut: every one before it whole.
            List<List<TraceRow>> blocks = parseTrace(trace.substring(0, trace.lastIndexOf("\nRefreshing:\n")));
            assertTrue(blocks.size() >= 2, trace);
            List<String> summary = Files.readAllLines(err).stream().filter(l -> l.startsWith("podhogs: ")).toList();
            assertTrue(summary.stream().anyMatch(l -> l.startsWith("podhogs: summary of ")), summary::toString);
            assertTrue(summary.stream().anyMatch(l -> l.endsWith("/" + sender + "/0")), summary::toString);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void traceOfTotalBytesForOneProcess() throws Exception {
        Podhogs.Result r = Podhogs.run(RUN_TIMEOUT, "-t", "-v", "2", "-P", Long.toString(sender), "-d", "0.3", "-c", "3",
                veth.hostIf());
        assertCleanExit(r);
        List<List<TraceRow>> blocks = parseTrace(r.out());
        assertEquals(3, blocks.size(), r::toString);
        long previous = -1;
        for (List<TraceRow> block : blocks) {
            for (TraceRow row : block) {
                // Everything else is summed into one 'filtered' row, so the rows still add up.
                boolean filtered = row.name().equals("filtered") && row.pid() == 0;
                assertTrue(filtered || row.pid() == sender, () -> "-P shows only that process: " + row);
                assertTrue(row.sent().matches("\\d+") && row.received().matches("\\d+"),
                        () -> "-v 2: whole bytes: " + row);
            }
        }
        for (List<TraceRow> block : blocks) {
            TraceRow s = row(block, sender);
            if (s != null) {
                long sent = Long.parseLong(s.sent());
                assertTrue(sent >= previous, "totals never go down");
                previous = sent;
            }
        }
        assertTrue(previous >= 1000, () -> "a total of at least one datagram: " + r);
    }

    @Test
    void commandLineWithNewlinesStaysOnOneTraceRow() throws Exception {
        // The sender is python3 -c SCRIPT (traffic.py inline): its command line has newlines. -l shows it, on its row.
        Podhogs.Result r = Podhogs.run(RUN_TIMEOUT, "-t", "-l", "-d", "0.3", "-c", "2", veth.hostIf());
        assertCleanExit(r);
        List<List<TraceRow>> blocks = parseTrace(r.out()); // every line is a row or a block's start
        TraceRow s = row(blocks.get(1), sender);
        assertTrue(s != null, r::toString);
        assertTrue(s.name().contains("-c #!/usr/bin/env python3 \"\"\"Traffic endpoints for podhogs's"),
                () -> "the command line, newlines as spaces: " + s);
    }

    @Test
    void jsonIsOneValidObjectPerLine() throws Exception {
        Podhogs.Result r = Podhogs.run(RUN_TIMEOUT, "--json", "-d", "0.4", "-c", "3", veth.hostIf());
        assertCleanExit(r);
        assertTrue(r.out().endsWith("\n"), r::toString);
        List<Map<String, Object>> objects = new ArrayList<>();
        String[] lines = r.out().split("\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) MiniJson.parse(lines[lines.length - 1]);
        for (String line : Arrays.copyOf(lines, lines.length - 1)) {
            Object value;
            try {
                value = MiniJson.parse(line);
            } catch (IllegalArgumentException e) {
                throw new AssertionError("not one JSON value: " + line, e);
            }
            assertTrue(value instanceof Map, () -> "an object: " + line);
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) value;
            assertEquals(JSON_KEYS, object.keySet(), () -> "the documented keys: " + line);
            assertTrue(object.get("time") instanceof String t && Instant.parse(t) != null, line);
            assertTrue(Set.of("process", "unknown", "forwarded", "encapsulated").contains(object.get("kind")), line);
            assertTrue(object.get("netns") instanceof BigDecimal, line);
            for (String key : List.of("pid", "uid", "sent_bytes", "received_bytes", "sent_packets", "received_packets",
                    "sent_bytes_per_second", "received_bytes_per_second", "inferred_sent_bytes",
                    "inferred_received_bytes", "kernel_drops")) {
                assertTrue(object.get(key) instanceof BigDecimal n && n.signum() >= 0, () -> key + ": " + line);
            }
            assertTrue(object.get("exited") instanceof Boolean, line);
            // Well-formed UDP with headers well inside the snap length: nothing to reject.
            assertEquals(Map.of("truncated", BigDecimal.ZERO, "malformed", BigDecimal.ZERO, "failed", BigDecimal.ZERO),
                    object.get("rejected_frames"), line);
            assertEquals(List.of(veth.hostIf()), object.get("interfaces"), () -> "the one device watched: " + line);
            objects.add(object);
        }
        List<Instant> times = objects.stream().map(o -> Instant.parse((String) o.get("time"))).distinct().toList();
        assertEquals(3, times.size(), () -> "-c 3: three refreshes\n" + r);
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i).isAfter(times.get(i - 1)), "refreshes in order");
        }

        Map<String, Object> s = last(objects, sender);
        assertEquals("process", s.get("kind"));
        assertTrue(((BigDecimal) s.get("sent_bytes")).longValue() >= 1000, s::toString);
        assertTrue(((BigDecimal) s.get("sent_packets")).longValue() >= 1, s::toString);
        assertTrue(((BigDecimal) s.get("sent_bytes_per_second")).doubleValue() > 0, s::toString);
        assertEquals(0L, ((BigDecimal) s.get("received_bytes")).longValue(), s::toString);
        assertEquals("root", s.get("user"));
        // JSON keeps the command line as it is, newlines and all, escaped
        assertTrue(((String) s.get("command")).contains("-c #!/usr/bin/env python3\n\"\"\"Traffic endpoints"), s::toString);

        Map<String, Object> v = last(objects, receiver);
        assertTrue(((BigDecimal) v.get("received_bytes")).longValue() >= 1000, v::toString);
        assertTrue(((BigDecimal) v.get("received_packets")).longValue() >= 1, v::toString);
        assertEquals(0L, ((BigDecimal) v.get("sent_bytes")).longValue(), v::toString);

        // The last object: the run's summary (vnStat's -l), each row's bytes as its last refresh's.
        assertEquals("summary", summary.get("kind"), summary::toString);
        assertEquals(BigDecimal.valueOf(3), summary.get("refreshes"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) summary.get("rows");
        for (long pid : List.of(sender, receiver)) {
            Map<String, Object> row = rows.stream().filter(o -> ((BigDecimal) o.get("pid")).longValue() == pid)
                    .findFirst().orElseThrow(() -> new AssertionError("no summary row for " + pid + ": " + summary));
            Map<String, Object> lastRow = last(objects, pid);
            for (String key : List.of("sent_bytes", "received_bytes", "sent_packets", "received_packets")) {
                assertEquals(lastRow.get(key), row.get(key), () -> key + " of " + pid + ": " + summary);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = (Map<String, Object>) rows.stream().filter(o -> ((BigDecimal) o.get("pid"))
                .longValue() == sender).findFirst().orElseThrow().get("sent_bytes_per_second");
        double max = ((BigDecimal) sent.get("max")).doubleValue();
        double average = ((BigDecimal) sent.get("average")).doubleValue();
        double min = ((BigDecimal) sent.get("min")).doubleValue();
        assertTrue(max > 0 && max >= average && average >= min && min >= 0, sent::toString);
    }

    @Test
    void secretsInCommandLinesAreHiddenUnlessAskedFor() throws Exception {
        // A process whose command line carries a password and a token, as a database client's might.
        long leaky = net.udpStream(null, veth.peerV4(), UdpBothWays.NAMESPACE_PORT, 50, Duration.ofMinutes(2),
                "--db-password=s3cr3t-podhogs", "token=t0ken-podhogs").pid();
        Podhogs.Result trace = Podhogs.run(RUN_TIMEOUT, "-t", "-l", "-P", Long.toString(leaky), "-d", "0.3", "-c", "3",
                veth.hostIf());
        assertCleanExit(trace);
        TraceRow t = row(parseTrace(trace.out()).get(2), leaky);
        assertTrue(t != null, trace::toString);
        assertTrue(t.name().endsWith(" --db-password=<redacted> token=<redacted>"), t::toString);
        assertFalse(trace.out().contains("s3cr3t") || trace.out().contains("t0ken"), trace::toString);

        Podhogs.Result json = Podhogs.run(RUN_TIMEOUT, "--json", "-P", Long.toString(leaky), "-d", "0.3", "-c", "3",
                veth.hostIf());
        assertCleanExit(json);
        assertFalse(json.out().contains("s3cr3t") || json.out().contains("t0ken"), json::toString);
        Map<String, Object> row = last(json.out().lines().map(l -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) MiniJson.parse(l);
            return o;
        }).filter(o -> !"summary".equals(o.get("kind"))).toList(), leaky);
        assertTrue(((String) row.get("command")).endsWith(" --db-password=<redacted> token=<redacted>"), row::toString);

        Podhogs.Result whole = Podhogs.run(RUN_TIMEOUT, "-t", "-l", "--show-secrets", "-P", Long.toString(leaky),
                "-d", "0.3", "-c", "3", veth.hostIf());
        assertCleanExit(whole);
        TraceRow w = row(parseTrace(whole.out()).get(2), leaky);
        assertTrue(w != null && w.name().endsWith(" --db-password=s3cr3t-podhogs token=t0ken-podhogs"), whole::toString);
    }

    private static Map<String, Object> last(List<Map<String, Object>> objects, long pid) {
        Map<String, Object> found = null;
        for (Map<String, Object> o : objects) {
            if (((BigDecimal) o.get("pid")).longValue() == pid && "process".equals(o.get("kind"))) {
                found = o;
            }
        }
        assertTrue(found != null, () -> "a line for pid " + pid + " in " + objects);
        return found;
    }
}
