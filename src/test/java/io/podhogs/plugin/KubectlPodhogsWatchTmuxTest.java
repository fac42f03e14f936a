package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kubectl podhogs -w as a person sees it: the plugin in a JVM of its own (the test class path, as
 * io.podhogs.cli.Podhogs starts podhogs) in a terminal of a known size, wide enough for -o wide (a detached tmux session on a
 * tmux server of the test's own), the screen read back with capture-pane. node-b's agent cannot be
 * reached for its first answers, then answers: the same screen must change in place.
 */
@Timeout(120)
class KubectlPodhogsWatchTmuxTest {
    private static final String SESSION = "phplugin";
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    private AgentCluster cluster;
    private Path dir;
    private Path socket;
    private Path config;
    private Path status;

    record Exec(int exit, String output) {
    }

    @BeforeEach
    void setUp() throws Exception {
        assertEquals(0, exec(List.of("sh", "-c", "command -v tmux")).exit(), "needs tmux");
        cluster = new AgentCluster();
        cluster.agents(AgentCluster.agentPod(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.answering(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A);
        // node-b: three failed answers (the proxy cannot reach it), then it answers; the expectations
        // of one path are served in the order they were made.
        cluster.unreachable(KubectlPodhogsTest.POD_B, 3);
        cluster.answering(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B);
        dir = Files.createTempDirectory("podhogs-plugin-tmux");
        socket = dir.resolve("tmux.sock");
        config = dir.resolve("tmux.conf");
        Files.writeString(config, "set -g remain-on-exit on\nset -g status off\n", StandardCharsets.UTF_8);
        status = dir.resolve("status");
    }

    @AfterEach
    void tearDown() throws Exception {
        tmux("kill-server");
        cluster.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static Exec exec(List<String> command) throws Exception {
        Path out = Files.createTempFile("podhogs-plugin-tmux", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " did not finish");
            }
            return new Exec(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private Exec tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", config.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * kubectl podhogs ARGS in the session's one pane, under a shell that writes its exit status to a
     * file (tmux's own pane status is not reliable: see io.podhogs.cli.TopViewTmuxTest).
     */
    private void start(String... args) throws Exception {
        Path argFile = dir.resolve("java.args");
        Files.write(argFile, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", "\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"",
                Main.class.getName()), StandardCharsets.UTF_8);
        // The shell outlives the Ctrl-C that ends the plugin, to write its status: a trap that runs a
        // command (not one that ignores the signal, which the JVM would inherit) and is reset in the child.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder script = new StringBuilder("trap : INT; ").append(quote(java)).append(' ').append(quote("@" + argFile));
        for (String a : args) {
            script.append(' ').append(quote(a));
        }
        script.append("; s=$?; echo $s > ").append(quote(status + ".tmp")).append(" && mv ")
                .append(quote(status + ".tmp")).append(' ').append(quote(status.toString()));
        Exec r = tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "30", "/bin/sh", "-c", script.toString());
        assertEquals(0, r.exit(), r::output);
    }

    private String screen() throws Exception {
        Exec r = tmux("capture-pane", "-p", "-t", SESSION);
        assertEquals(0, r.exit(), r::output);
        return r.output();
    }

    private String await(String what, Predicate<String> shows) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String screen = screen();
        while (!shows.test(screen)) {
            if (System.nanoTime() - deadline > 0) {
                fail("the screen did not show " + what + " within " + DEADLINE + ":\n" + screen);
            }
            Thread.sleep(100);
            screen = screen();
        }
        return screen;
    }

    private static long count(String screen, String start) {
        return screen.lines().filter(l -> l.startsWith(start)).count();
    }

    @Test
    void watchRedrawsInPlaceAsANodeComesBackAndCtrlCEndsIt() throws Exception {
        start("-w", "--interval", "1s", "-A", "-o", "wide", "--kubeconfig", cluster.kubeconfig("default").toString());
        String down = await("node-b not answering", s -> s.contains("1 of 2 nodes answered"));
        assertTrue(down.lines().findFirst().orElse("").startsWith("Every 1s: kubectl podhogs pods   1 of 2 nodes"
                + " answered   "), () -> "the title on the first line\n" + down);
        assertTrue(down.lines().anyMatch(l -> l.matches("NAMESPACE +NAME +TX\\(2s\\) +RX\\(2s\\) .* NODE")), down);
        assertEquals(2, down.lines().filter(l -> l.startsWith("shop ") && l.endsWith(" podhogs-agent-node")).count(),
                () -> "podhogs-agent-node's two pods\n" + down);
        assertTrue(down.contains("warning: node node-b did not answer: HTTP 503: error trying to reach service"),
                () -> "node-b named under the table\n" + down);

        String up = await("node-b answering", s -> s.contains("2 of 2 nodes answered"));
        assertEquals(1, count(up, "Every 1s: "), () -> "one title: the table replaced, not scrolled\n" + up);
        assertEquals(1, count(up, "NAMESPACE "), up);
        assertEquals(2, up.lines().filter(l -> l.startsWith("shop ") && l.endsWith(" node-b")).count(),
                () -> "node-b's pods now\n" + up);
        assertEquals(0, count(up, "warning: "), () -> "node-b's warning gone with the old screen\n" + up);
        assertTrue(up.lines().anyMatch(l -> l.matches("TOTAL +437KiB/s +438KiB/s +815KiB +815KiB +1\\.59MiB +0B")),
                () -> "the totals of both nodes\n" + up);

        Exec keys = tmux("send-keys", "-t", SESSION, "C-c");
        assertEquals(0, keys.exit(), keys::output);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!Files.exists(status)) {
            if (System.nanoTime() - deadline > 0) {
                fail("Ctrl-C did not end the watch:\n" + screen());
            }
            Thread.sleep(100);
        }
        assertEquals("130", Files.readString(status).trim(), "Ctrl-C ends it as it ends any command");
    }
}
