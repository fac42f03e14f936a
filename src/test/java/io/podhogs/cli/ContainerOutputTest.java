package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.DockerHost;
import io.podhogs.testing.Shell;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers as a user of the command line sees them on a Docker host: JSON rows with Docker's
 * name and image, and trace rows per container with --by container.
 */
class ContainerOutputTest {
    private final DockerHost docker = new DockerHost();
    private String web;
    private String client;

    @BeforeEach
    void containers() {
        web = docker.name("web");
        client = docker.name("client");
        String id = docker.run(List.of("--name", web), "sh", "-c",
                "mkdir -p /www && dd if=/dev/zero of=/www/blob bs=1k count=500 2>/dev/null && exec httpd -f -p 8080 -h /www");
        String ip = Shell.run("docker", "inspect", "-f", "{{.NetworkSettings.IPAddress}}", id).trim();
        docker.run(List.of("--name", client), "sh", "-c",
                "while true; do wget -q -O /dev/null http://" + ip + ":8080/blob; sleep 0.2; done");
    }

    @AfterEach
    void tearDown() {
        docker.close();
    }

    @Test
    void jsonRowsCarryDockersNameAndImage() throws Exception {
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "--json", "-c", "4", "-d", "1");
        assertEquals(0, r.exit(), r::toString);
        boolean seen = r.out().lines().map(l -> (Map<?, ?>) MiniJson.parse(l)).anyMatch(o ->
                "process".equals(o.get("kind")) && web.equals(o.get("container_name"))
                        && DockerHost.IMAGE.equals(o.get("container_image")) && "docker".equals(o.get("container_runtime"))
                        && ((BigDecimal) o.get("sent_bytes")).signum() > 0);
        assertTrue(seen, () -> "a process row of " + web + " with its image\n" + r);
    }

    @Test
    void byContainerTraceRowsAreNamedByDocker() throws Exception {
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "-t", "--by", "container", "-v", "2", "-c", "4", "-d", "1");
        assertEquals(0, r.exit(), r::toString);
        String last = r.out().substring(r.out().lastIndexOf("Refreshing:"));
        for (String name : List.of(web, client)) {
            assertTrue(last.lines().anyMatch(l -> l.matches("^" + name + "/0/0\\t[1-9]\\d*\\t[1-9]\\d*$")),
                    () -> "a row for " + name + " with bytes both ways\n" + r);
        }
    }

    @Test
    void showContainerPutsTheNameInFrontOfTheProgramAndKeepsNethogssShape() throws Exception {
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "-t", "--show-container", "-v", "2", "-c", "4", "-d", "1");
        assertEquals(0, r.exit(), r::toString);
        String last = r.out().substring(r.out().lastIndexOf("Refreshing:"));
        // "ph1234-web:httpd/23125/0": the container's name, then the program as nethogs shows it
        assertTrue(last.lines().anyMatch(l -> l.matches("^" + web + ":\\S+/\\d+/0\\t\\d+\\t\\d+$")),
                () -> "a process row of " + web + " with its name in front\n" + r);
        assertTrue(last.lines().noneMatch(l -> l.matches("^[^/]+:(unknown|forwarded).*")),
                () -> "buckets are no container's processes: no label\n" + r);
    }

    @Test
    void containerFilterShowsThatContainerAndSumsTheRestIntoOneFilteredRow() throws Exception {
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "-t", "--by", "container", "--container", "^" + web + "$",
                "-v", "2", "-c", "4", "-d", "1");
        assertEquals(0, r.exit(), r::toString);
        String last = r.out().substring(r.out().lastIndexOf("Refreshing:"));
        List<String> rows = last.lines().skip(1).filter(l -> !l.isBlank()).toList();
        assertEquals(2, rows.size(), () -> "the web container and the filtered row\n" + r);
        assertTrue(rows.stream().anyMatch(l -> l.matches("^" + web + "/0/0\\t[1-9]\\d*\\t[1-9]\\d*$")), () -> "web\n" + r);
        assertTrue(rows.stream().anyMatch(l -> l.matches("^filtered/0/0\\t[1-9]\\d*\\t[1-9]\\d*$")),
                () -> "the client's bytes, and the rest, filtered\n" + r);
    }
}
