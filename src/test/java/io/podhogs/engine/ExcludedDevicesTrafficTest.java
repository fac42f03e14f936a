package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.InterfacePatterns;
import io.podhogs.testing.CaptureFaults;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A node with hundreds of devices left out by name (--exclude 'cali*' among veths, say):
 * the kernel drops their frames through one filter podhogs draws from ranges of their indexes, the
 * devices counted are counted to the byte, and those left out not at all. The devices left out
 * here alternate with counted ones (the worst case for ranges) and come in runs (ranges proper).
 */
class ExcludedDevicesTrafficTest extends EngineTrafficFixture {
    private static final int GROUPS = 50;

    @Test
    void hundredsOfDevicesLeftOutMakeOneKernelFilterAndTheRestIsCountedToTheByte() throws Exception {
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 9999));
        String out = "phx" + tag;
        String in = "phk" + tag;
        StringBuilder add = new StringBuilder();
        StringBuilder del = new StringBuilder();
        for (int g = 0; g < GROUPS; g++) {
            // left out, counted, three left out in a row, counted: a singleton and a range of three per group
            for (String name : List.of(out + "a" + g, in + "a" + g, out + "b" + g, out + "c" + g, out + "d" + g,
                    in + "b" + g)) {
                add.append("link add ").append(name).append(" type ifb\nlink set ").append(name).append(" up\n");
                del.append("link del ").append(name).append('\n');
            }
        }
        Path addFile = Files.createTempFile("podhogs-excluded", ".batch");
        Path delFile = Files.createTempFile("podhogs-excluded", ".batch");
        try {
            Files.writeString(addFile, add.toString());
            Files.writeString(delFile, del.toString());
            Shell.run("ip", "-batch", addFile.toString());
            Host left = net.createHost();
            net.bringUp(left);
            Host counted = net.createHost();
            CaptureConfig d = CaptureConfig.defaults(List.of());
            harness = new EngineHarness(new CaptureConfig(d.mode(), List.of(), false, d.snapLength(), d.bufferBytes(),
                    d.bufferTimeoutMillis(), false, Optional.empty(),
                    // Only this test's devices: other traffic on this shared host stays out of the count.
                    new InterfacePatterns(List.of(in + "*", counted.hostIf(), left.hostIf()),
                            List.of(out + "*", left.hostIf()))));

            String filter = CaptureFaults.filters(harness.engine).stream().filter(f -> f.getKey().equals("any"))
                    .map(Map.Entry::getValue).findFirst().orElseThrow();
            long terms = filter.split(" or ").length;
            assertTrue(terms >= 2 * GROUPS && terms < 2 * GROUPS + 10, () -> terms + " terms: " + filter);
            assertTrue(filter.startsWith("not (") && filter.contains("(link[4:4] >= "), filter);

            net.bringUp(counted);
            net.sendToPeer(counted, "5751", 300_000);
            net.sendToPeer(left, "5752", 300_000);
            EngineSnapshot s = harness.settle(counted.hostIf());
            assertEquals(Traffic.NONE, EngineHarness.onInterface(s, EngineHarness.ifindex(left.hostIf()), a -> true),
                    "nothing counted on the device left out");
        } finally {
            Shell.runQuietly("ip", "-force", "-batch", delFile.toString());
            Files.deleteIfExists(addFile);
            Files.deleteIfExists(delFile);
        }
    }
}
