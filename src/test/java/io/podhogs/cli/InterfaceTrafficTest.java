package io.podhogs.cli;

import static io.podhogs.cli.MonitorRuns.lastRefresh;
import static io.podhogs.cli.MonitorRuns.number;
import static io.podhogs.cli.MonitorRuns.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
import io.podhogs.testing.Await;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Host;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --by interface} on real traffic: a device's row is exactly the device's own counters
 * (watched by name from before it exists), bytes and packets both ways, and the run says on stderr
 * that device rows do not add up to a total.
 */
@Timeout(180)
class InterfaceTrafficTest extends MonitorRunFixture {
    @Test
    void aDevicesRowIsItsKernelCounters() throws Exception {
        TestNet.requireUsable();
        Host h = net.createHost();
        Path out = dir.resolve("devices.out");
        awaitCapture(startPodhogs(out, "--json", "--by", "interface", "-d", "0.5", h.hostIf()), out);
        net.bringUp(h);
        net.sendToPeer(h, "5861", 300_000);
        Traffic[] kernel = new Traffic[1];
        List<Map<String, Object>> rows = Await.until(Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
            kernel[0] = Counters.of(h.hostIf());
            return lastRefresh(read(out));
        }, r -> r.size() == 1 && traffic(r.get(0)).equals(kernel[0]),
                r -> "the device's row to be its counters " + kernel[0] + ": " + r);
        Map<String, Object> row = rows.get(0);
        assertEquals("interface", row.get("kind"));
        assertEquals(h.hostIf(), row.get("program"));
        assertTrue(kernel[0].sentBytes() > 300_000, kernel[0]::toString);
        assertTrue(read(out).contains("podhogs: --by interface: a byte that crossed two devices (a veth and its bridge)"
                + " is in both rows; the rows do not add up to a total"), () -> read(out));
        assertTrue(row.containsKey("device_kernel_drops") && row.get("device_kernel_drops") == null,
                () -> "the any device's drops are of no one device: " + row);
    }

    /**
     * With a handle per device, a device's row is still its counters, and carries that handle's own
     * kernel drops: none for 300 KB into a 32 MiB buffer (a drop cannot be made to order here; the
     * number's source is the handle's pcap_stats, as the agent's per-device metric).
     */
    @Test
    void withAHandlePerDeviceARowHasItsHandlesDrops() throws Exception {
        TestNet.requireUsable();
        // A device handle opens once its device is up (libpcap opens none on a device that is down):
        // the link is up and quiet first, and what it carried before is the baseline.
        Host h = net.createHost();
        net.bringUp(h);
        Counters.awaitQuiet(h.hostIf());
        Traffic baseline = Counters.of(h.hostIf());
        Path out = dir.resolve("devices.out");
        awaitCapture(startPodhogs(out, "--json", "--by", "interface", "--capture", "per-device", "-d", "0.5",
                h.hostIf()), out);
        net.sendToPeer(h, "5862", 300_000);
        Traffic[] kernel = new Traffic[1];
        List<Map<String, Object>> rows = Await.until(Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
            kernel[0] = Counters.of(h.hostIf()).minus(baseline);
            return lastRefresh(read(out));
        }, r -> r.size() == 1 && traffic(r.get(0)).equals(kernel[0]),
                r -> "the device's row to be its counters " + kernel[0] + ": " + r);
        assertEquals(0L, number(rows.get(0), "device_kernel_drops"), rows::toString);
    }

    private static Traffic traffic(Map<String, Object> row) {
        return new Traffic(number(row, "sent_bytes"), number(row, "sent_packets"), number(row, "received_bytes"),
                number(row, "received_packets"));
    }
}
