package io.podhogs.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Await;
import io.podhogs.testing.DockerHost;
import io.podhogs.testing.Shell;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Names, images and labels from the real Docker engine, and kept current from its events. */
class DockerContainersTest {
    private final DockerHost docker = new DockerHost();

    @AfterEach
    void tearDown() {
        docker.close();
    }

    @Test
    void containersRunningBeforeAndStartedAfterAreKnownByName() {
        String before = docker.name("before");
        String id = docker.run(List.of("--name", before, "--label", "com.docker.compose.project=shop",
                "--label", "com.docker.compose.service=web"), "sleep", "60");
        try (DockerContainers containers = DockerContainers.follow(DockerHost.SOCKET)) {
            assertTrue(containers.connected());
            ContainerInfo info = containers.byId(id).orElseThrow();
            assertEquals(before, info.name());
            assertEquals(DockerHost.IMAGE, info.image());
            assertEquals("shop", info.labels().get("com.docker.compose.project"));
            assertEquals("web", info.labels().get("com.docker.compose.service"));
            assertEquals("running", info.state());

            String after = docker.name("after");
            String later = docker.run(List.of("--name", after), "sleep", "60");
            await(() -> containers.byId(later).map(i -> i.name().equals(after)).orElse(false), "the new container");

            String renamed = docker.name("renamed");
            Shell.run("docker", "rename", after, renamed);
            await(() -> containers.byId(later).map(i -> i.name().equals(renamed)).orElse(false), "the new name");

            Shell.run("docker", "rm", "-f", later);
            await(() -> containers.byId(later).map(i -> i.state().equals("removed")).orElse(false),
                    "removed, and still known by name");
            assertEquals(renamed, containers.byId(later).orElseThrow().name());
        }
    }

    @Test
    void noDaemonIsNoErrorJustNoNames() {
        try (DockerContainers containers = DockerContainers.follow("/nonexistent/docker.sock")) {
            assertFalse(containers.connected());
            assertEquals(Map.of(), containers.all());
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(Duration.ofSeconds(10), condition::getAsBoolean, () -> what);
    }
}
