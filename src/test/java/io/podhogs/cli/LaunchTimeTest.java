package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How long ago a process was launched, from its /proc/PID/stat and /proc/uptime. */
class LaunchTimeTest {
    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "launched 0.65 s ago                | 123456  | 1235.21 4560.00 | 650000000",
            "launched this very tick            | 123456  | 1234.56 4560.00 | 0",
            "uptime to the tenth                | 100     | 2.5 9.0         | 1500000000",
            "uptime in whole seconds            | 100     | 3 9             | 2000000000",
            "after uptime: not this process's   | 123456  | 1234.00 1.00    | -1",
            "more than a minute ago: not used   | 100     | 62.00 1.00      | -1",
            "uptime unreadable                  | 100     | up 3 days       | -1",
    })
    void theLaunchIsTheForkAgainstTheUptime(String what, long startTicks, String uptime, long expectedNanos)
            throws IOException {
        HostFiles host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
        Files.createDirectories(host.proc("4242"));
        Files.writeString(host.proc("4242", "stat"),
                "4242 (java (podhogs)) S" + " 1".repeat(18) + " " + startTicks + " 0 0\n");
        Files.writeString(host.proc("uptime"), uptime + "\n");
        assertEquals(expectedNanos < 0 ? Optional.empty() : Optional.of(expectedNanos), LaunchTime.sinceLaunch(host, "4242"), what);
    }

    @ParameterizedTest(name = "launched {0} ms before, run from {1} ms, -d {2} ms: first block at {3} ms")
    @CsvSource({
            "0, 650, 1000, 1000",   // the usual: a refresh after Enter, 0.35 s of capture
            "0, 750, 1000, 1000",   // 0.25 s of capture: a quarter refresh, enough
            "0, 800, 1000, 2000",   // 0.2 s would be less than a quarter: the next slot
            "0, 650, 500, 1000",    // a start slower than the refresh: the first slot after it
            "0, 1900, 500, 2500",
            "0, 0, 1000, 1000",     // launched as it runs (no /proc): a whole refresh
    })
    void theFirstBlockIsTheFirstSlotAQuarterRefreshAfterTheRunStarts(long launched, long now, long delay, long due) {
        long ms = 1_000_000L;
        assertEquals(due * ms, StreamRun.firstDue(launched * ms, now * ms, delay * ms));
    }

    @Test
    void aProcessWithoutStatHasNoLaunch() throws IOException {
        HostFiles host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
        Files.createDirectories(host.proc("self"));
        Files.writeString(host.proc("uptime"), "100.00 50.00\n");
        assertEquals(Optional.empty(), LaunchTime.sinceLaunch(host, "4242"));
    }

    @Test
    void aProcessStartedHalfASecondAgoWasLaunchedHalfASecondAgo() throws IOException, InterruptedException {
        // The real /proc, with a process of known age: /proc counts in 10 ms steps.
        long started = System.nanoTime();
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            Thread.sleep(500);
            long age = System.nanoTime() - started;
            long since = LaunchTime.sinceLaunch(HostFiles.system(), Long.toString(child.pid())).orElseThrow();
            assertTrue(since >= 400_000_000L && since <= age + 20_000_000L,
                    "launched " + since + " ns ago, started by the test " + age + " ns ago");
        } finally {
            child.destroyForcibly().waitFor();
        }
    }
}
