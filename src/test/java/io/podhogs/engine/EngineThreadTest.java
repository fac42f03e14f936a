package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.attribution.HostSocketLookup;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.NetInterfaces;
import io.podhogs.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own thread, started as on a host but over a capture the test feeds and a clock it holds. */
class EngineThreadTest {
    @TempDir
    Path root;

    /**
     * A stray interrupt (a library's, a debugger's) is cleared: left set, every park would return at
     * once and the engine would spin a core for the rest of the process (seen in CI, 30 s of CPU in
     * 30 s), with the interrupt flag still set all along.
     */
    @Test
    void aStrayInterruptIsClearedAndTheEngineGoesOnParking() throws Exception {
        HostTree host = new HostTree(root);
        host.device("eth0", 2, 2);
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"), 7_000_000_000_000L);
        Engine engine = new Engine(EngineConfig.of(CaptureConfig.defaults(List.of())), new EngineParts(host.files,
                new NetInterfaces(host.files), HostSocketLookup.none(), new FedCapture().factory(), clock::nanoTime,
                clock, false));
        try {
            engine.start();
            Thread thread = engine.thread();
            // The clock stands still, so the engine parks until a tick that is a second away.
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> thread.getState(),
                    state -> state == Thread.State.TIMED_WAITING, state -> "the engine parked; it is " + state);
            thread.interrupt();
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> !thread.isInterrupted(),
                    cleared -> cleared, cleared -> "the engine thread cleared the interrupt");
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> thread.getState(),
                    state -> state == Thread.State.TIMED_WAITING, state -> "the engine parked again; it is " + state);
            assertTrue(engine.alive(), "the engine runs on");
        } finally {
            engine.close();
        }
    }
}
