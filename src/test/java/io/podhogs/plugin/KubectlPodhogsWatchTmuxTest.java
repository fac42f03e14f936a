package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.TmuxPane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    private AgentCluster cluster;
    private TmuxPane pane;
    private Path argFile;

    @BeforeEach
    void setUp() throws Exception {
        assertEquals(0, TmuxPane.exec(List.of("sh", "-c", "command -v tmux")).exit(), "needs tmux");
        cluster = new AgentCluster();
        cluster.agents(AgentCluster.agentPod(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.answering(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A);
        // node-b: three port-forwards that find nothing listening, then it answers.
        cluster.unreachable(KubectlPodhogsTest.POD_B, 3);
        cluster.answering(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B);
        pane = new TmuxPane(DEADLINE);
        argFile = Files.createTempFile("podhogs-plugin", ".args");
    }

    @AfterEach
    void tearDown() throws Exception {
        pane.close();
        cluster.close();
        Files.deleteIfExists(argFile);
    }

    /** kubectl podhogs ARGS in the pane, under a shell that outlives the Ctrl-C that ends it. */
    private void start(String... args) throws Exception {
        Files.write(argFile, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", "\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"",
                KubectlMain.class.getName()), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argFile));
        command.addAll(List.of(args));
        pane.start(160, 30, true, command);
    }

    private static long count(String screen, String start) {
        return screen.lines().filter(l -> l.startsWith(start)).count();
    }

    @Test
    void watchRedrawsInPlaceAsANodeComesBackAndCtrlCEndsIt() throws Exception {
        start("-w", "--interval", "1s", "-A", "-o", "wide", "--kubeconfig", cluster.kubeconfig("default").toString());
        // The table goes to stdout, node-b's line after it to stderr: wait for the two, not a screen caught between.
        String down = pane.await("node-b not answering", s -> s.contains("1 of 2 nodes answered")
                && s.contains("warning: node node-b did not answer"));
        assertTrue(down.lines().findFirst().orElse("").startsWith("Every 1s: kubectl podhogs pods   1 of 2 nodes"
                + " answered   "), () -> "the title on the first line\n" + down);
        assertTrue(down.lines().anyMatch(l -> l.matches("NAMESPACE +NAME +TX\\(2s\\) +RX\\(2s\\) .* NODE")), down);
        assertEquals(2, down.lines().filter(l -> l.startsWith("shop ") && l.endsWith(" podhogs-agent-node")).count(),
                () -> "podhogs-agent-node's two pods\n" + down);
        assertTrue(down.contains("warning: node node-b did not answer: port-forward to the agent failed: error forwarding"
                + " port 9811"),
                () -> "node-b named under the table\n" + down);

        String up = pane.await("node-b answering", s -> s.contains("2 of 2 nodes answered"));
        assertEquals(1, count(up, "Every 1s: "), () -> "one title: the table replaced, not scrolled\n" + up);
        assertEquals(1, count(up, "NAMESPACE "), up);
        assertEquals(2, up.lines().filter(l -> l.startsWith("shop ") && l.endsWith(" node-b")).count(),
                () -> "node-b's pods now\n" + up);
        assertEquals(0, count(up, "warning: "), () -> "node-b's warning gone with the old screen\n" + up);
        assertTrue(up.lines().anyMatch(l -> l.matches("TOTAL +437KiB/s +438KiB/s +815KiB +815KiB +1\\.59MiB +0B")),
                () -> "the totals of both nodes\n" + up);

        pane.send("C-c");
        assertEquals(130, pane.awaitExit(), "Ctrl-C ends it as it ends any command");
    }
}
