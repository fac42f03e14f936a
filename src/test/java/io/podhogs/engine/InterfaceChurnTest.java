package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A busy node's veths come and go every second: capturing through them must not leak descriptors
 * or threads. The engine captures every device (the any ring), so a new veth needs no handle.
 */
class InterfaceChurnTest {

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aHundredVethPairsComingAndGoingLeaveDescriptorsAndThreadsAsTheyWere() throws Exception {
        try (EngineHarness harness = new EngineHarness()) {
            EngineHarness.sleep(500);
            long fdsBefore = openDescriptors();
            int threadsBefore = Thread.activeCount();
            String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 9999));
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                String a = "phc" + tag + "a" + i;
                String b = "phc" + tag + "b" + i;
                batch.append("link add ").append(a).append(" type veth peer name ").append(b).append('\n')
                        .append("link set ").append(a).append(" up\n").append("link set ").append(b).append(" up\n");
            }
            Path add = Files.createTempFile("podhogs-churn", ".batch");
            Path del = Files.createTempFile("podhogs-churn", ".batch");
            try {
                Files.writeString(add, batch.toString());
                StringBuilder removal = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    removal.append("link del phc").append(tag).append('a').append(i).append('\n');
                }
                Files.writeString(del, removal.toString());
                Shell.run("ip", "-batch", add.toString());
                EngineHarness.sleep(1500); // traffic of their own (IPv6 autoconfiguration) flows meanwhile
                Shell.run("ip", "-batch", del.toString());
            } finally {
                Shell.runQuietly("sh", "-c", "for l in $(ls /sys/class/net | grep '^phc" + tag + "'); do ip link del $l; done");
                Files.deleteIfExists(add);
                Files.deleteIfExists(del);
            }
            EngineHarness.sleep(1500); // the engine's once-a-second look at interfaces and namespaces

            assertEquals(fdsBefore, openDescriptors(), "open descriptors");
            assertEquals(threadsBefore, Thread.activeCount(), "threads");
            assertTrue(harness.engine.snapshot().captures().stream().allMatch(c -> c.running()), "still capturing");
        }
    }
}
