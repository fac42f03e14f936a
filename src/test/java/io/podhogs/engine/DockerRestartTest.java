package io.podhogs.engine;

import static io.podhogs.engine.EngineHarness.ifindex;
import static io.podhogs.engine.EngineHarness.onInterface;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
import io.podhogs.identity.DockerContainers;
import io.podhogs.testing.Await;
import io.podhogs.testing.Counters;
import io.podhogs.testing.DockerHost;
import io.podhogs.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * dockerd stopped and started again while a container keeps talking (the daemon runs with
 * --live-restore, as .ci/run starts it): the counting never stops and stays exact, and the names
 * come back with the daemon.
 */
class DockerRestartTest {
    private final DockerHost docker = new DockerHost();
    private EngineHarness harness;

    @AfterEach
    void tearDown() {
        ensureDaemon();
        if (harness != null) {
            harness.close();
        }
        docker.close();
    }

    private static boolean daemonAnswers() {
        return Shell.runQuietly("docker", "info", "--format", "{{.ServerVersion}}").lines()
                .anyMatch(l -> l.matches("\\d.*"));
    }

    private static void ensureDaemon() {
        if (!daemonAnswers()) {
            Shell.run("sh", "-c", "setsid nohup dockerd --live-restore >>/var/log/podhogs-test-dockerd.log 2>&1 &");
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), DockerRestartTest::daemonAnswers,
                    () -> "dockerd to answer again");
        }
    }

    @Test
    void countingGoesOnWhileTheDaemonIsAwayAndTheNamesComeBack() throws Exception {
        assertTrue(Shell.run("docker", "info", "--format", "{{.LiveRestoreEnabled}}").trim().equals("true"),
                "the daemon must run with --live-restore (.ci/run starts it so)");
        harness = new EngineHarness();
        String name = docker.name("talker");
        String id = docker.run(List.of("--name", name), "sh", "-c",
                "mkdir -p /www && dd if=/dev/zero of=/www/blob bs=1k count=200 2>/dev/null && httpd -p 8080 -h /www"
                        + " && while true; do wget -q -O /dev/null http://127.0.0.1:8080/blob;"
                        + " wget -q -O /dev/null http://172.17.0.1:1 2>/dev/null; sleep 0.1; done");
        String veth = docker.hostVeth(id);
        long pid = docker.pid(id);
        try (DockerContainers containers = DockerContainers.follow(DockerHost.SOCKET)) {
            assertEquals(name, containers.byId(id).orElseThrow().name());

            Shell.run("sh", "-c", "pkill -x dockerd; for i in $(seq 100); do pgrep -x dockerd >/dev/null || exit 0; sleep 0.1; done; exit 1");
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), () -> !containers.connected(),
                    () -> "the follower to notice the daemon is gone");
            assertTrue(Files.exists(Path.of("/proc", Long.toString(pid))), "--live-restore: the container runs on");
            Traffic before = Counters.of(veth);
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> !Counters.of(veth).equals(before),
                    () -> "the container's traffic to go on");
            assertEquals(name, containers.byId(id).orElseThrow().name(), "the last known name is kept");

            ensureDaemon();
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), containers::connected,
                    () -> "the follower to find the daemon again");
            assertEquals(name, containers.byId(id).orElseThrow().name());
            assertEquals("running", containers.byId(id).orElseThrow().state());
        }
        // Counting never stopped: the container's side of its veth adds up to the kernel's counters,
        // compared once its traffic is frozen (docker pause).
        Shell.run("docker", "pause", id);
        long netns = docker.netns(id);
        harness.await(s -> {
            Traffic k = Counters.of(veth);
            Traffic far = new Traffic(k.receivedBytes(), k.receivedPackets(), k.sentBytes(), k.sentPackets());
            return onInterface(s, ifindex(veth), a -> a.key().netns() == netns).equals(far);
        }, "the container's accounts to match its veth through the daemon's restart");
        assertFalse(onInterface(harness.engine.snapshot(), ifindex(veth), a -> a.key().netns() == netns)
                .equals(Traffic.NONE));
    }
}
