package io.podhogs.cli;

import io.podhogs.testing.Await;
import io.podhogs.testing.TestNet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a test that runs podhogs processes over its own links holds: the links, the processes (each
 * one's output in a file of the test's directory), both gone after each test, processes first.
 */
abstract class MonitorRunFixture {
    protected final TestNet net = new TestNet();
    protected final List<Process> running = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stopRunsThenLinks() {
        running.forEach(Process::destroyForcibly);
        net.close();
    }

    /** podhogs with {@code args}, its stdout and stderr into {@code out}; stopped after the test. */
    protected Process startPodhogs(Path out, String... args) throws IOException {
        Process p = new ProcessBuilder(Podhogs.command(List.of(), args)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        running.add(p);
        return p;
    }

    /** Waits until {@code p} holds its packet socket, or has ended (the caller's assertions say why). */
    protected static void awaitCapture(Process p, Path out) {
        Await.until(Duration.ofSeconds(90), Duration.ofMillis(100), () -> MonitorRuns.capturing(p) || !p.isAlive(),
                ready -> ready, ready -> "podhogs to open its capture:\n" + MonitorRuns.read(out));
    }
}
