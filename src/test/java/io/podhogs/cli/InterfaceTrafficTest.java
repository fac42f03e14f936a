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
    }

    private static Traffic traffic(Map<String, Object> row) {
        return new Traffic(number(row, "sent_bytes"), number(row, "sent_packets"), number(row, "received_bytes"),
                number(row, "received_packets"));
    }
}
