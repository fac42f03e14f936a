package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.CaptureMode;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.testing.CaptureFaults;
import io.podhogs.testing.TestNet.Host;
import java.util.List;
import java.util.Map;
import io.podhogs.testing.Counters;
import org.junit.jupiter.api.Test;

/**
 * A device named on the command line ({@code podhogs relh}) that is deleted and created again is
 * the same device to the user and another one to the kernel (a new index). podhogs follows the
 * name: the {@code any} handle's filter moves to the new index (on the running handle), a handle
 * per device is opened on the new device. Its traffic is counted again to the byte, and what the
 * old device carried stays counted.
 */
class NamedDeviceRecreatedTest extends EngineTrafficFixture {

    private static CaptureConfig named(CaptureMode mode, String device) {
        CaptureConfig d = CaptureConfig.defaults(List.of(device));
        return new CaptureConfig(mode, d.devices(), d.includeLoopback(), d.snapLength(), d.bufferBytes(),
                d.bufferTimeoutMillis(), d.promiscuous(), d.filter(), d.patterns());
    }

    /**
     * On {@code any} the device is followed on the running handle before it is up: counted exactly
     * from its creation, by the kernel's counters.
     */
    @Test
    void theAnyHandleFollowsTheNameToTheNewIndexAndCountsItToTheByte() throws Exception {
        Host h = net.createHost();
        harness = new EngineHarness(named(CaptureMode.ANY, h.hostIf()));
        net.bringUp(h);
        net.sendToPeer(h, "5741", 200_000);
        int before = EngineHarness.ifindex(h.hostIf());
        Traffic first = EngineHarness.onInterface(harness.settle(h.hostIf()), before, EngineHarness::hostSide);

        net.recreate(h); // both ends down: nothing crosses until podhogs follows and the link is up
        int after = EngineHarness.ifindex(h.hostIf());
        assertNotEquals(before, after, "the kernel gave the new device a new index");
        // The running any handle, and the connection-start one, now filter on the new index.
        harness.await(s -> {
            List<Map.Entry<String, String>> filters = CaptureFaults.filters(harness.engine);
            return filters.size() == 2 && filters.stream().allMatch(f -> f.getValue().contains("ifindex " + after)
                    && !f.getValue().contains("ifindex " + before));
        }, () -> "the handles' filters on the new index: " + CaptureFaults.filters(harness.engine));
        net.bringUp(h);
        net.sendToPeer(h, "5742", 300_000);
        EngineSnapshot s = harness.settle(h.hostIf()); // the new device's counters since its creation, exactly
        assertEquals(first, EngineHarness.onInterface(s, before, EngineHarness::hostSide),
                "what the old device carried stays counted");
        assertTrue(s.capturesRunning(), () -> s.captures().toString());
        assertEquals(0, s.captures().get(0).restarts(), "followed on the running handle, not by reopening it");
    }

    /**
     * With a handle per device, the new device gets one once it is up (a device that is down
     * cannot be opened): what it carries from then on is counted to the byte.
     */
    @Test
    void perDeviceTheNewDeviceGetsAHandleOnceUpAndIsCountedToTheByte() throws Exception {
        Host h = net.createHost();
        net.bringUp(h);
        EngineHarness.awaitQuiet(h.hostIf());
        Traffic baseline = Counters.of(h.hostIf());
        harness = new EngineHarness(named(CaptureMode.PER_DEVICE, h.hostIf()));
        net.sendToPeer(h, "5743", 200_000);
        int before = EngineHarness.ifindex(h.hostIf());
        Traffic first = harness.awaitCountedSince(baseline, Traffic.NONE, h.hostIf());

        net.recreate(h);
        int after = EngineHarness.ifindex(h.hostIf());
        assertNotEquals(before, after, "the kernel gave the new device a new index");
        harness.await(s -> s.captures().stream().map(CaptureStatus::name).toList().equals(List.of("devices gone")),
                () -> "the old device's handle retired, none on the new one while it is down: "
                        + harness.engine.snapshot().captures());
        net.bringUp(h);
        harness.await(s -> s.captures().stream().anyMatch(c -> c.name().equals(h.hostIf()) && c.running()),
                () -> "a handle on the new device once up: " + harness.engine.snapshot().captures());
        // What crossed between the link coming up and the handle opening is not seen: count from a quiet moment.
        EngineHarness.awaitQuiet(h.hostIf());
        Traffic since = Counters.of(h.hostIf());
        Traffic countedSince = EngineHarness.onInterface(harness.engine.snapshot(), after, EngineHarness::hostSide);
        net.sendToPeer(h, "5744", 300_000);
        harness.awaitCountedSince(since, countedSince, h.hostIf());
        EngineSnapshot s = harness.engine.snapshot();
        assertEquals(first, EngineHarness.onInterface(s, before, EngineHarness::hostSide),
                "what the old device carried stays counted");
        assertEquals(List.of(h.hostIf(), "devices gone"), s.captures().stream().map(CaptureStatus::name).toList());
    }
}
