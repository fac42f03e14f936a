package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
import io.podhogs.testing.Await;
import io.podhogs.testing.Counters;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Host;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code podhogs --history FILE} on real traffic, stopped (SIGTERM, then Ctrl-C's SIGINT) and
 * started again on the same file: the file's totals, at every level, equal the kernel's counters
 * of both runs together. The device is watched by name from before it exists, so each run counts
 * it from its first frame; a routed veth's frames count for both its sides (docs/accounting.md),
 * so every byte it carried is in the history as sent once and as received once.
 */
@Timeout(300)
class HistoryTrafficTest {
    private final TestNet net = new TestNet();
    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() {
        net.close();
    }

    @Test
    void totalsAcrossAStopAndARestartEqualTheKernelsCountersOfBothRuns() throws Exception {
        TestNet.requireUsable();
        Path file = dir.resolve("history.db");
        Host h = net.createHost();
        Traffic first = run(h, file, "5791", 300_000, "TERM", "1");
        net.recreate(h); // a new device under the same name: its counters start at zero
        // Flushes far apart: only the stop writes this run's bytes.
        Traffic second = run(h, file, "5792", 500_000, "INT", "600");
        Traffic kernel = first.plus(second);
        long carried = kernel.sentBytes() + kernel.receivedBytes();
        long frames = kernel.sentPackets() + kernel.receivedPackets();
        assertTrue(carried > 800_000, "the runs' traffic: " + kernel);
        for (String level : List.of("program", "container", "pod", "workload", "namespace", "app")) {
            for (String resolution : List.of("--5min", "--hours", "--days", "--months", "--years")) {
                long[] sum = sum(file, "--by", level, resolution, "--top", "1000");
                assertEquals(List.of(carried, carried, frames, frames), List.of(sum[0], sum[1], sum[2], sum[3]),
                        "sent and received bytes and packets by " + level + ", " + resolution + " (kernel: " + kernel + ")");
            }
        }
    }

    /** kill -9 loses at most the last flush interval: traffic older than a drain and a flush is all in the file. */
    @Test
    void killDashNineLosesNothingOlderThanTheLastFlush() throws Exception {
        TestNet.requireUsable();
        Path file = dir.resolve("killed.db");
        Host h = net.createHost();
        Traffic kernel = run(h, file, "5793", 400_000, "KILL", "1");
        long carried = kernel.sentBytes() + kernel.receivedBytes();
        long[] sum = sum(file, "--by", "program", "--days", "--top", "1000");
        assertEquals(List.of(carried, carried), List.of(sum[0], sum[1]), "kernel: " + kernel);
    }

    /**
     * One run: podhogs watches the device by name before it is created and up, {@code bytes}
     * cross it, podhogs is stopped by {@code signal}. The device's counters once it has stopped.
     */
    private Traffic run(Host h, Path file, String port, long bytes, String signal, String flush) throws Exception {
        Path out = dir.resolve("run-" + port + ".out");
        Process p = new ProcessBuilder(Podhogs.command(List.of(), "-t", "-d", "0.5", "--history", file.toString(),
                "--history-flush", flush, h.hostIf())).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> read(out),
                    s -> s.contains("Refreshing:"), s -> "podhogs to refresh:\n" + s);
            net.bringUp(h);
            net.sendToPeer(h, port, bytes);
            Thread.sleep(2500); // past a drain (1 s) and a flush (1 s in the first run): its stop writes what came after
            Shell.run("kill", "-" + signal, Long.toString(p.pid()));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), () -> "podhogs did not stop on SIG" + signal + ":\n" + read(out));
        } finally {
            p.destroyForcibly();
        }
        assertTrue(!read(out).contains("history not"), () -> read(out));
        return Counters.of(h.hostIf());
    }

    /** The history's sums over every row: sent bytes, received bytes, sent and received packets. */
    private static long[] sum(Path file, String... args) throws Exception {
        String[] all = new String[args.length + 5];
        all[0] = "history";
        all[1] = "--file";
        all[2] = file.toString();
        all[3] = "-o";
        all[4] = "json";
        System.arraycopy(args, 0, all, 5, args.length);
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), all);
        assertEquals(0, r.exit(), r::toString);
        long[] sum = new long[4];
        for (String line : r.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) MiniJson.parse(line);
            sum[0] += ((Number) row.get("sent_bytes")).longValue();
            sum[1] += ((Number) row.get("received_bytes")).longValue();
            sum[2] += ((Number) row.get("sent_packets")).longValue();
            sum[3] += ((Number) row.get("received_packets")).longValue();
        }
        return sum;
    }

    private static String read(Path out) {
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
