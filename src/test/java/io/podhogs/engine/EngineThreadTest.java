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

    /** An engine on a host of one device, fed frames by the test, on a clock the test moves. */
    private record Rig(ManualClock clock, FedCapture capture, Engine engine) {
    }

    private Rig rig() {
        HostTree host = new HostTree(root);
        host.device("eth0", 2, 2);
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"), 7_000_000_000_000L);
        FedCapture capture = new FedCapture();
        Engine engine = new Engine(EngineConfig.of(CaptureConfig.defaults(List.of())), new EngineParts(host.files,
                new NetInterfaces(host.files), HostSocketLookup.none(), capture.factory(), clock::nanoTime, clock, false));
        return new Rig(clock, capture, engine);
    }

    private static void awaitParked(Thread thread, String what) {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), thread::getState,
                state -> state == Thread.State.TIMED_WAITING, state -> what + "; it is " + state);
    }

    private static void awaitSnapshotNow(Engine engine, ManualClock clock, String what) {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), engine::publishedNanos,
                t -> t == clock.nanoTime(), t -> what + " at " + clock.nanoTime() + "; it is of " + t);
    }

    /** Ticks the engine, a step of the clock at a time, until it has gone quiet (ten idle ticks at least). */
    private static void tickUntilQuiet(Rig rig) {
        Thread thread = rig.engine().thread();
        for (int i = 0; !rig.engine().quiet(); i++) {
            assertTrue(i < 100, "the engine went quiet within 10 s of nothing to do");
            rig.clock().advance(EngineConfig.TICK);
            LockSupport.unpark(thread);
            awaitSnapshotNow(rig.engine(), rig.clock(), "a tick's snapshot");
        }
    }

    /**
     * A stray interrupt (a library's, a debugger's) is cleared: left set, every park would return at
     * once and the engine would spin a core for the rest of the process (seen in CI, 30 s of CPU in
     * 30 s), with the interrupt flag still set all along.
     */
    @Test
    void aStrayInterruptIsClearedAndTheEngineGoesOnParking() throws Exception {
        Engine engine = rig().engine();
        try {
            engine.start();
            Thread thread = engine.thread();
            // The clock stands still, so the engine parks until a tick that is a second away.
            awaitParked(thread, "the engine parked");
            thread.interrupt();
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> !thread.isInterrupted(),
                    cleared -> cleared, cleared -> "the engine thread cleared the interrupt");
            awaitParked(thread, "the engine parked again");
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
        Rig rig = rig();
        ManualClock clock = rig.clock();
        FedCapture capture = rig.capture();
        Engine engine = rig.engine();
        byte[] frame = CookedFrames.udp(2, true, "10.0.0.1", 5000, "10.0.0.2", 53, 100);
        try {
            engine.start();
            Thread thread = engine.thread();
            capture.frame(frame);
            awaitParked(thread, "the engine parked");
            // Ticks publish while the flow is new and being looked up, then ten more with nothing to do.
            tickUntilQuiet(rig);
            assertEquals(CookedFrames.wireBytes(frame), sentBytes(engine.snapshot()));
            // Quiet: the engine wakes at each step of the clock and publishes only a second on.
            List<Integer> published = new ArrayList<>();
            for (int step = 1; step <= 10; step++) {
                clock.advance(EngineConfig.TICK);
                LockSupport.unpark(thread);
                if (step < 10) {
                    Thread.sleep(20);
                    awaitParked(thread, "the engine parked");
                } else {
                    awaitSnapshotNow(engine, clock, "the quiet second's snapshot");
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
        Rig rig = rig();
        ManualClock clock = rig.clock();
        FedCapture capture = rig.capture();
        Engine engine = rig.engine();
        byte[] frame = CookedFrames.udp(2, true, "10.0.0.1", 5000, "10.0.0.2", 53, 100);
        long wire = CookedFrames.wireBytes(frame);
        try {
            engine.start();
            Thread thread = engine.thread();
            capture.frame(frame); // the flow, looked up and given its owner before the engine goes quiet
            awaitParked(thread, "the engine parked");
            tickUntilQuiet(rig);
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
                awaitParked(thread, "the engine parked");
                assertEquals(woken, engine.publishedNanos(), "no quick tick after a lone packet (step " + step + ")");
            }
            capture.frame(frame); // 900 ms after the first: traffic
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(5), () -> sentBytes(engine.snapshot()),
                    bytes -> bytes == 3 * wire, bytes -> "the second packet counted at once; " + bytes);
            assertTrue(!engine.quiet(), "a second packet within a second: quick ticks again");
            clock.advance(EngineConfig.TICK);
            LockSupport.unpark(thread);
            awaitSnapshotNow(engine, clock, "a quick tick's snapshot");
        } finally {
            engine.close();
        }
    }

    private static long sentBytes(EngineSnapshot snapshot) {
        return snapshot.accounts().stream().mapToLong(AccountSnapshot::sentBytes).sum();
    }
}
