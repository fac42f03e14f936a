package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.attribution.HostSocketLookup;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.NetInterfaces;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.testing.Await;
import io.podhogs.testing.CookedFrames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
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

    /**
     * With nothing to do for a rate window (ten ticks at least) the engine goes quiet: it passes
     * once a second, not ten times, and the next packet wakes it at once. The clock is the test's: after the quiet
     * spell's first second it stands still, so the packet can only be counted because it woke the
     * engine. (Between quiet ticks the engine is woken at each step of the clock; a step it
     * answered late could only hide a snapshot, never show one that is not.)
     */
    @Test
    void anIdleEngineTicksOnceASecondAndTheNextPacketWakesIt() throws Exception {
        HostTree host = new HostTree(root);
        host.device("eth0", 2, 2);
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"), 7_000_000_000_000L);
        FedCapture capture = new FedCapture();
        Engine engine = new Engine(EngineConfig.of(CaptureConfig.defaults(List.of())), new EngineParts(host.files,
                new NetInterfaces(host.files), HostSocketLookup.none(), capture.factory(), clock::nanoTime, clock, false));
        byte[] frame = CookedFrames.udp(2, true, "10.0.0.1", 5000, "10.0.0.2", 53, 100);
        try {
            engine.start();
            Thread thread = engine.thread();
            capture.frame(frame);
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), thread::getState,
                    state -> state == Thread.State.TIMED_WAITING, state -> "the engine parked; it is " + state);
            // Ticks publish while the flow is new and being looked up, then ten more with nothing to do.
            for (int i = 0; !engine.quiet(); i++) {
                assertTrue(i < 100, "the engine went quiet within 10 s of nothing to do");
                clock.advance(EngineConfig.TICK);
                LockSupport.unpark(thread);
                Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), engine::publishedNanos,
                        t -> t == clock.nanoTime(), t -> "a tick's snapshot at " + clock.nanoTime() + "; it is of " + t);
            }
            assertEquals(CookedFrames.wireBytes(frame), sentBytes(engine.snapshot()));
            // Quiet: the engine wakes at each step of the clock and publishes only a second on.
            List<Integer> published = new ArrayList<>();
            for (int step = 1; step <= 10; step++) {
                clock.advance(EngineConfig.TICK);
                LockSupport.unpark(thread);
                if (step < 10) {
                    Thread.sleep(20);
                    Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), thread::getState,
                            state -> state == Thread.State.TIMED_WAITING, state -> "the engine parked; it is " + state);
                } else {
                    Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), engine::publishedNanos,
                            t -> t == clock.nanoTime(), t -> "the quiet second's snapshot; it is of " + t);
                }
                // Read as of now all the same: nothing changed, and a refresh faster than a second asks.
                assertEquals(clock.instant(), engine.snapshot().time());
                if (engine.publishedNanos() == clock.nanoTime()) {
                    published.add(step);
                }
            }
            assertEquals(List.of(10), published, "steps of 100 ms at which a quiet engine published");
            capture.frame(frame); // the clock stands still from here
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), () -> sentBytes(engine.snapshot()),
                    bytes -> bytes == 2 * CookedFrames.wireBytes(frame), bytes -> "the packet counted at once; " + bytes);
        } finally {
            engine.close();
        }
    }

    /**
     * A lone packet on a quiet engine (a router solicitation, an ARP probe) is counted at once and
     * leaves the engine quiet: its next pass is a second later, not a tenth. A second packet within
     * that second is traffic: counted at once too, and the engine ticks ten times a second again.
     */
    @Test
    void aLonePacketLeavesAQuietEngineQuietAndASecondWithinASecondWakesItUp() throws Exception {
        HostTree host = new HostTree(root);
        host.device("eth0", 2, 2);
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"), 7_000_000_000_000L);
        FedCapture capture = new FedCapture();
        Engine engine = new Engine(EngineConfig.of(CaptureConfig.defaults(List.of())), new EngineParts(host.files,
                new NetInterfaces(host.files), HostSocketLookup.none(), capture.factory(), clock::nanoTime, clock, false));
        byte[] frame = CookedFrames.udp(2, true, "10.0.0.1", 5000, "10.0.0.2", 53, 100);
        long wire = CookedFrames.wireBytes(frame);
        try {
            engine.start();
            Thread thread = engine.thread();
            capture.frame(frame); // the flow, looked up and given its owner before the engine goes quiet
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), thread::getState,
                    state -> state == Thread.State.TIMED_WAITING, state -> "the engine parked; it is " + state);
            for (int i = 0; !engine.quiet(); i++) {
                assertTrue(i < 100, "the engine went quiet within 10 s of nothing to do");
                clock.advance(EngineConfig.TICK);
                LockSupport.unpark(thread);
                Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), engine::publishedNanos,
                        t -> t == clock.nanoTime(), t -> "a tick's snapshot at " + clock.nanoTime() + "; it is of " + t);
            }
            assertEquals(wire, sentBytes(engine.snapshot()));
            clock.advance(Duration.ofMillis(300));
            capture.frame(frame);
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), () -> sentBytes(engine.snapshot()),
                    bytes -> bytes == 2 * wire, bytes -> "the lone packet counted at once; " + bytes);
            assertTrue(engine.quiet(), "one packet leaves the engine quiet");
            long woken = engine.publishedNanos();
            for (int step = 1; step <= 9; step++) {
                clock.advance(EngineConfig.TICK);
                LockSupport.unpark(thread);
                Thread.sleep(20);
                Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), thread::getState,
                        state -> state == Thread.State.TIMED_WAITING, state -> "the engine parked; it is " + state);
                assertEquals(woken, engine.publishedNanos(), "no quick tick after a lone packet (step " + step + ")");
            }
            capture.frame(frame); // 900 ms after the first: traffic
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), () -> sentBytes(engine.snapshot()),
                    bytes -> bytes == 3 * wire, bytes -> "the second packet counted at once; " + bytes);
            assertTrue(!engine.quiet(), "a second packet within a second: quick ticks again");
            clock.advance(EngineConfig.TICK);
            LockSupport.unpark(thread);
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), engine::publishedNanos,
                    t -> t == clock.nanoTime(), t -> "a quick tick's snapshot at " + clock.nanoTime() + "; it is of " + t);
        } finally {
            engine.close();
        }
    }

    private static long sentBytes(EngineSnapshot snapshot) {
        return snapshot.accounts().stream().mapToLong(AccountSnapshot::sentBytes).sum();
    }
}
