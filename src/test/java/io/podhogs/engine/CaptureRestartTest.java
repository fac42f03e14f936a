package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.Traffic;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.testing.CaptureFaults;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet.Host;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A handle whose loop ends by itself (made to end from outside, as libpcap ends it when it gives up
 * on a handle) is reopened by the engine after its backoff, counted as a restart, and counts on in
 * the same counters: on a quiet link the totals still match the kernel's to the byte afterwards.
 * Until it is reopened the snapshot says a capture is not running (the agent's liveness).
 */
class CaptureRestartTest extends EngineTrafficFixture {

    private static Optional<CaptureStatus> named(List<CaptureStatus> captures, String name) {
        return captures.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    @Test
    void aDeviceHandleThatEndsIsReopenedAndCountsOnToTheByte() throws Exception {
        // A device handle needs its device up: the link is brought up and let go quiet first, and
        // what it carried before the engine started is the baseline.
        Host h = net.createHost();
        net.bringUp(h);
        EngineHarness.awaitQuiet(h.hostIf());
        Traffic baseline = Counters.of(h.hostIf());
        harness = EngineHarness.perDevice(h.hostIf());
        net.sendToPeer(h, "5711", 300_000);
        harness.awaitCountedSince(baseline, Traffic.NONE, h.hostIf());
        EngineHarness.awaitQuiet(h.hostIf());

        assertEquals(1, CaptureFaults.breakLoop(harness.engine, h.hostIf()), "one handle on the veth");
        harness.await(s -> !s.capturesRunning(), "the stopped handle in the snapshot");
        EngineSnapshot reopened = harness.await(s -> s.capturesRunning(), "the handle reopened");
        assertEquals(1, named(reopened.captures(), h.hostIf()).orElseThrow().restarts(), "one restart, counted");

        net.sendToPeer(h, "5712", 300_000);
        harness.awaitCountedSince(baseline, Traffic.NONE, h.hostIf());

        // When the device goes, what its handle counted, its restart included, stays.
        io.podhogs.testing.Shell.run("ip", "link", "del", h.hostIf());
        harness.await(s -> named(s.captures(), "devices gone").map(CaptureStatus::restarts).orElse(0) == 1,
                "the retired handle's restart kept under devices gone");
    }

    @Test
    void theConnectionStartHandleIsReopenedToo() throws Exception {
        Host h = net.createHost();
        harness = new EngineHarness(h.hostIf());
        net.bringUp(h);
        String name = "any (connection starts)";
        assertEquals(1, CaptureFaults.breakLoop(harness.engine, name), "one connection-start handle");
        harness.await(s -> !s.capturesRunning(), "the stopped helper in the snapshot");
        EngineSnapshot reopened = harness.await(s -> s.capturesRunning(), "the helper reopened");
        assertEquals(1, named(reopened.helperCaptures(), name).orElseThrow().restarts(), "one restart, counted");
        assertEquals(0, named(reopened.captures(), "any").orElseThrow().restarts(), "the main handle untouched");

        // The reopened handle sees connections start: exactly the one SYN of the next connection.
        long seen = named(reopened.helperCaptures(), name).orElseThrow().frames();
        net.sendToPeer(h, "5713", 300_000);
        harness.settle(h.hostIf());
        harness.await(s -> named(s.helperCaptures(), name).orElseThrow().frames() == seen + 1,
                () -> "one SYN seen by the reopened handle: " + named(harness.engine.snapshot().helperCaptures(), name));
    }
}
