package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.podhogs.capture.CaptureStatus;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A busy node's veths come and go every second: capturing through them must not leak descriptors
 * or threads: neither with the any ring, where a new veth needs no handle, nor with a handle per
 * device, where each needs one while it lives.
 */
class InterfaceChurnTest {

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** The engine's threads: its capture loops and itself (other tests' clients may still be ending). */
    private static long podhogsThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("podhogs-capture") || t.getName().equals("podhogs-engine"))
                .count();
    }

    @Test
    void aHundredVethPairsComingAndGoingLeaveDescriptorsAndThreadsAsTheyWere() throws Exception {
        try (EngineHarness harness = new EngineHarness()) {
            churn(harness, false);
        }
    }

    /**
     * With a handle per device, each new veth gets its own handle and thread while it lives, and
     * loses them when it goes.
     */
    @Test
    void perDeviceHandlesFollowAHundredVethPairsAndAreClosedWhenTheyGo() throws Exception {
        try (EngineHarness harness = EngineHarness.perDevice()) {
            churn(harness, true);
        }
    }

    private static void churn(EngineHarness harness, boolean handlePerDevice) throws Exception {
        EngineHarness.sleep(500);
        long fdsBefore = openDescriptors();
        long threadsBefore = podhogsThreads();
        int handlesBefore = harness.engine.snapshot().captures().size();
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
            if (handlePerDevice) {
                // 200 new devices (both ends of each pair are on this host): a handle each.
                harness.await(s -> s.captures().stream().filter(c -> c.name().startsWith("phc" + tag)).count() == 200,
                        "a handle for each of the 200 new devices");
            } else {
                EngineHarness.sleep(1500); // traffic of their own (IPv6 autoconfiguration) flows meanwhile
            }
            Shell.run("ip", "-batch", del.toString());
        } finally {
            Shell.runQuietly("sh", "-c", "for l in $(ls /sys/class/net | grep '^phc" + tag + "'); do ip link del $l; done");
            Files.deleteIfExists(add);
            Files.deleteIfExists(del);
        }
        if (handlePerDevice) {
            harness.await(s -> s.captures().stream().noneMatch(c -> c.name().startsWith("phc" + tag)),
                    "every handle of the gone devices closed");
        }
        EngineHarness.sleep(1500); // the engine's once-a-second look at interfaces and namespaces

        // Other tests' clients may still be closing in this JVM: fewer descriptors is no leak.
        long fdsAfter = openDescriptors();
        assertTrue(fdsAfter <= fdsBefore, "open descriptors: " + fdsBefore + " before, " + fdsAfter + " after");
        assertEquals(threadsBefore, podhogsThreads(), "podhogs's threads");
        List<CaptureStatus> captures = harness.engine.snapshot().captures();
        assertTrue(captures.stream().allMatch(CaptureStatus::running), "still capturing: " + captures);
        if (handlePerDevice) {
            assertEquals(handlesBefore + 1, captures.size(), "the same handles, and the gone devices' totals: " + captures);
            assertEquals("devices gone", captures.get(captures.size() - 1).name());
        }
    }
}
