package io.podhogs.cli;

import static io.podhogs.cli.TraceJsonOutputTest.assertCleanExit;
import static io.podhogs.cli.TraceJsonOutputTest.parseTrace;
import static io.podhogs.cli.TraceJsonOutputTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code podhogs report} on what podhogs itself wrote, on real traffic: a {@code -t -v 2} log of
 * two runs of the monitor into one file (as {@code >>} after a restart) gives each process the sum of
 * the two runs' last totals, to the byte; a {@code --json} log the same from its bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class ReportOfTraceTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private final TestNet net = new TestNet();
    private UdpBothWays traffic;

    @TempDir
    Path dir;

    @BeforeAll
    void traffic() {
        traffic = UdpBothWays.start(net);
    }

    @AfterAll
    void cleanUp() {
        net.close();
    }

    @Test
    void aTwoRunTotalBytesLogSumsEachRunsLastTotals() throws Exception {
        Path log = dir.resolve("trace.log");
        long sent = 0;
        long received = 0;
        for (int run = 0; run < 2; run++) {
            Podhogs.Result r = Podhogs.run(RUN_TIMEOUT, "-t", "-v", "2", "-P", Long.toString(traffic.sender()),
                    "-P", Long.toString(traffic.receiver()), "-d", "0.3", "-c", "3", traffic.veth().hostIf());
            assertCleanExit(r);
            Files.writeString(log, r.out(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<List<TraceJsonOutputTest.TraceRow>> blocks = parseTrace(r.out());
            TraceJsonOutputTest.TraceRow s = row(blocks.get(blocks.size() - 1), traffic.sender());
            TraceJsonOutputTest.TraceRow v = row(blocks.get(blocks.size() - 1), traffic.receiver());
            assertTrue(s != null && v != null, r::toString);
            sent += Long.parseLong(s.sent());
            received += Long.parseLong(v.received());
        }
        Map<Long, long[]> report = report("-v", "2", log.toString());
        assertTrue(sent > 0 && received > 0, "traffic both ways");
        assertEquals(sent, report.get(traffic.sender())[0], "the sender's two runs");
        assertEquals(received, report.get(traffic.receiver())[1], "the receiver's two runs");
    }

    @Test
    void aJsonLogGivesTheLastBytesOfEachProcess() throws Exception {
        Podhogs.Result r = Podhogs.run(RUN_TIMEOUT, "--json", "-P", Long.toString(traffic.sender()), "-d", "0.3", "-c", "3",
                traffic.veth().hostIf());
        assertCleanExit(r);
        Path log = dir.resolve("trace.json");
        Files.writeString(log, r.out());
        String[] lines = r.out().split("\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) MiniJson.parse(lines[lines.length - 2]); // the last: the summary
        assertEquals("summary", ((Map<String, Object>) MiniJson.parse(lines[lines.length - 1])).get("kind"));
        long sent = ((Number) last.get("sent_bytes")).longValue();
        assertTrue(sent > 0, r::toString);
        assertEquals(sent, report(log.toString()).get(traffic.sender())[0]);
    }

    /**
     * A rate log (-v 0, KB/s) integrated over its refreshes against a total log (-v 2) of the same
     * span, two monitors side by side: with the rate window equal to the refresh interval each rate is
     * that refresh's bytes, so the estimate is within the bound README gives (5%), not "greater than zero".
     */
    @Test
    void aRateLogIsWithinTheDocumentedEstimateOfTheTotals() throws Exception {
        String pid = Long.toString(traffic.sender());
        Path rates = dir.resolve("rates.log");
        ProcessBuilder rateRun = new ProcessBuilder(Podhogs.command(List.of(), "-t", "-v", "0", "-P", pid, "-d", "1",
                "--window", "1", "-c", "12", traffic.veth().hostIf())).redirectOutput(rates.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = rateRun.start();
        Podhogs.Result totals = Podhogs.run(RUN_TIMEOUT, "-t", "-v", "2", "-P", pid, "-d", "1", "-c", "12",
                traffic.veth().hostIf());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, Files.readString(rates));
        assertCleanExit(totals);
        List<List<TraceJsonOutputTest.TraceRow>> blocks = parseTrace(totals.out());
        long sent = Long.parseLong(row(blocks.get(blocks.size() - 1), traffic.sender()).sent());
        long estimate = report("-v", "0", "--interval", "1", rates.toString()).get(traffic.sender())[0];
        assertTrue(Math.abs(estimate - sent) <= sent * 0.05, "estimate " + estimate + " of " + sent + " bytes sent:\n"
                + Files.readString(rates) + "\n" + totals.out());
    }

    /** nethogs's own log, two runs appended: each process gets the two runs' last totals as nethogs printed them. */
    @Test
    void aTwoRunNethogsLogSumsEachRunsLastTotals() throws Exception {
        assertTrue(Shell.onPath("nethogs"), "needs nethogs (apt-get install nethogs)");
        Path log = dir.resolve("nethogs.log");
        Map<Long, long[]> expected = new TreeMap<>();
        for (int run = 0; run < 2; run++) {
            Process p = new ProcessBuilder("nethogs", "-C", "-t", "-v", "2", "-d", "1", "-c", "3",
                    traffic.veth().hostIf()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
            Files.writeString(log, out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<List<TraceJsonOutputTest.TraceRow>> blocks = parseTrace(out.substring(out.indexOf("\nRefreshing:")));
            for (TraceJsonOutputTest.TraceRow row : blocks.get(blocks.size() - 1)) {
                expected.merge(row.pid(), new long[] {Math.round(Double.parseDouble(row.sent())),
                        Math.round(Double.parseDouble(row.received()))}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        // nethogs leaves this UDP traffic 'unknown UDP' (the reason podhogs exists); the report must
        // still give what nethogs printed, both runs of it.
        assertTrue(expected.values().stream().anyMatch(b -> b[0] > 0 && b[1] > 0), "bytes both ways: " + Files.readString(log));
        Map<Long, long[]> report = report("-v", "2", log.toString());
        assertEquals(expected.keySet(), report.keySet());
        expected.forEach((pid, bytes) -> assertEquals(List.of(bytes[0], bytes[1]),
                List.of(report.get(pid)[0], report.get(pid)[1]), "pid " + pid));
    }

    /** sent and received by pid, from {@code podhogs report --by pid -o csv}, run as the launcher runs it. */
    private static Map<Long, long[]> report(String... args) throws Exception {
        String[] all = new String[args.length + 5];
        all[0] = "report";
        all[1] = "--by";
        all[2] = "pid";
        all[3] = "-o";
        all[4] = "csv";
        System.arraycopy(args, 0, all, 5, args.length);
        Podhogs.Result r = Podhogs.run(RUN_TIMEOUT, all);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err(), r::toString);
        Map<Long, long[]> rows = new TreeMap<>();
        String[] lines = r.out().split("\r\n");
        assertEquals("program,pid,uid,user,sent_bytes,received_bytes,estimate", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            int n = f.length;
            rows.merge(Long.parseLong(f[n - 6]), new long[] {Long.parseLong(f[n - 3]), Long.parseLong(f[n - 2])},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        return rows;
    }
}
