package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kubectl-podhogs as users run it: the launcher at the repository's root, through a symlink in a
 * directory of the PATH (as kubectl finds plugins), on the jar Maven packaged just before (failsafe),
 * against the mock cluster with a real agent's recorded answers. The launcher must find the
 * repository through the symlink, not rebuild a fresh jar, and pass exit statuses and streams on.
 */
class KubectlPodhogsLauncherIT {
    private AgentCluster cluster;
    private Path bin;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws IOException {
        cluster = new AgentCluster();
        bin = Files.createTempDirectory("podhogs-path");
        Files.createSymbolicLink(bin.resolve("kubectl-podhogs"), Path.of("kubectl-podhogs").toAbsolutePath());
    }

    @AfterEach
    void tearDown() throws IOException {
        cluster.close();
        Files.deleteIfExists(bin.resolve("kubectl-podhogs"));
        Files.deleteIfExists(bin);
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        // Found on the PATH by a shell, as kubectl finds it.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec kubectl-podhogs \"$@\"", "kubectl-podhogs"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(bin.toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("HOME", bin.toString());
        builder.environment().remove("KUBECONFIG");
        builder.environment().putAll(env);
        Path out = Files.createTempFile("podhogs-launcher", ".out");
        Path err = Files.createTempFile("podhogs-launcher", ".err");
        try {
            Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl-podhogs did not end");
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void throughASymlinkOnThePathItPrintsTheClusterAndSaysWhichNodeDidNotAnswer() throws Exception {
        cluster.agents(AgentCluster.agentPod(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A, "Running", true),
                AgentCluster.agentPod(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B, "Running", true));
        cluster.answering(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A);
        cluster.unreachable(KubectlPodhogsTest.POD_B);
        Run r = run(Map.of("KUBECONFIG", cluster.kubeconfig("default").toString()), "-A");
        assertFalse(r.err().contains("building"), () -> "the packaged jar is fresh: no rebuild\n" + r.err());
        assertEquals(ExitCodes.PARTIAL, r.exit(), r::toString);
        assertEquals(Files.readString(Path.of("src/test/resources/kubectl-podhogs/partial-pods-table.txt")), r.out(),
                "what the in-process test's golden file holds");
        assertTrue(r.err().startsWith("warning: node node-b did not answer: port-forward to the agent failed: "),
                r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
    }

    /**
     * The launcher makes the class-data archive (launcher/class-archive.sh) when there is none, and
     * the next run loads picocli's classes and podhogs's own from it, not from the jars; an archive
     * its JVM cannot use changes nothing the user sees.
     */
    @Test
    void itStartsFromTheClassArchiveItMadeAndRunsAlikeWithoutOne() throws Exception {
        Path archives = Path.of("target/quarkus-app/class-archive");
        deleteTree(archives);
        Run first = run(Map.of(), "--help");
        assertEquals(0, first.exit(), first::toString);
        List<Path> made;
        try (var files = Files.list(archives)) {
            made = files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
        assertEquals(1, made.size(), () -> "one archive, the plugin's, for this JDK: " + made);
        assertTrue(made.get(0).getFileName().toString().startsWith("plugin-"), made::toString);

        Path log = Files.createTempFile("podhogs-class-load", ".log");
        try {
            Run second = run(Map.of("KUBECTL_PODHOGS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "--help");
            assertEquals(first, second, "the same help, status and stderr from the archive");
            String loads = Files.readString(log, StandardCharsets.UTF_8);
            for (String c : List.of("picocli.CommandLine", "io.podhogs.plugin.KubectlMain",
                    "io.podhogs.plugin.KubectlPodhogsCommand")) {
                assertTrue(loads.contains(" " + c + " source: shared objects file"), () -> c + " not from the archive");
            }
        } finally {
            Files.deleteIfExists(log);
        }

        // An archive the JVM refuses (another JDK's, a damaged one), newer than the build: no word of it.
        // Put in place by a rename, as the launcher does: a JVM running from the archive maps it, and
        // writing into it would pull the pages from under that JVM (SIGBUS).
        Path refusedArchive = Files.writeString(archives.resolve(".refused"), "not an archive");
        Files.move(refusedArchive, made.get(0), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Run refused = run(Map.of(), "--help");
        assertEquals(first, refused, "without a usable archive: the same output, nothing from the JVM about it");
        deleteTree(archives); // the next run makes a good one
    }

    /**
     * launcher/kubectl-query.classlist, which puts a query's classes into the class archive, is the
     * classes a query loads now, nearly all of them: regenerate it (its first lines say how) when this
     * fails after the plugin's code changed.
     */
    @Test
    void theQueryClassListHoldsWhatAQueryLoads() throws Exception {
        cluster.agents(AgentCluster.agentPod(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A, "Running", true));
        cluster.answering(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A);
        Path dump = Files.createTempFile("podhogs-query", ".classlist");
        try {
            Run r = run(Map.of("KUBECONFIG", cluster.kubeconfig("default").toString(),
                    "KUBECTL_PODHOGS_JAVA_OPTS", "-XX:DumpLoadedClassList=" + dump), "processes", "-A");
            assertEquals(0, r.exit(), r::toString);
            java.util.Set<String> listed = new java.util.HashSet<>(Files.readAllLines(Path.of("launcher/kubectl-query.classlist")));
            List<String> loaded = Files.readAllLines(dump).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("@"))
                    .map(l -> l.split(" ")[0]).filter(c -> !c.contains("/0x")).distinct().toList();
            List<String> missing = loaded.stream().filter(c -> !listed.contains(c)).toList();
            assertTrue(loaded.size() > 3000, () -> "a query loads thousands of classes, not " + loaded.size());
            assertTrue(missing.size() * 20 <= loaded.size(), () -> missing.size() + " of the " + loaded.size()
                    + " classes a query loads are not in launcher/kubectl-query.classlist (regenerate it: bash"
                    + " bench/plugin-query.sh --classlist launcher/kubectl-query.classlist), e.g. "
                    + missing.subList(0, Math.min(10, missing.size())));
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                Files.delete(f);
            }
        }
    }

    @Test
    void withoutAClusterItIsOneLineAndStatusOne() throws Exception {
        Run r = run(Map.of());
        assertEquals(ExitCodes.ERROR, r.exit(), r::toString);
        assertEquals("", r.out());
        assertEquals("error: no cluster: no kubeconfig (set KUBECONFIG, create ~/.kube/config or pass --kubeconfig),"
                + " as kubectl needs\n", r.err());
        Run usage = run(Map.of(), "--window", "5s");
        assertEquals(ExitCodes.USAGE, usage.exit(), usage::toString);
    }
}
