package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ./podhogs, the README's way to run podhogs, through a symlink (as one on the PATH would be), on the
 * jar Maven packaged just before (failsafe): it finds the repository, does not rebuild a fresh jar,
 * passes podhogs's own exit statuses and one-line errors on, finds libpcap every time it is there
 * and not when it is not, and runs a JVM that an OutOfMemoryError ends.
 */
class PodhogsLauncherIT {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        return runWithEnv(java.util.Map.of(), args);
    }

    private static Run runWithEnv(java.util.Map<String, String> env, String... args) throws Exception {
        Path bin = Files.createTempDirectory("podhogs-path");
        Path link = Files.createSymbolicLink(bin.resolve("podhogs"), Path.of("podhogs").toAbsolutePath());
        Path out = Files.createTempFile("podhogs-launcher", ".out");
        Path err = Files.createTempFile("podhogs-launcher", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(link.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(bin.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./podhogs did not end");
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(link);
            Files.deleteIfExists(bin);
        }
    }

    @Test
    void theLauncherRunsThePackagedJarAndPassesItsStatusOn() throws Exception {
        Run version = run("-V");
        assertEquals(0, version.exit(), version::toString);
        assertEquals("podhogs " + Version.number() + "\n", version.out());
        assertEquals("", version.err(), "a fresh jar is not rebuilt, and nothing else is said");

        Run absent = run("-t", "-c", "1", "phcli-absent9");
        assertEquals(2, absent.exit(), absent::toString);
        assertEquals(1, absent.err().lines().count(), absent::toString);
        assertTrue(absent.err().startsWith("podhogs: no such device: phcli-absent9"), absent::toString);
    }

    /**
     * The command line starts without Quarkus (its boot cost a second a run): not one class of
     * Quarkus's runtime is loaded for --version or a trace, where the agent boots it.
     */
    @Test
    void theCommandLineStartsWithoutQuarkus() throws Exception {
        Path classes = Files.createTempFile("podhogs-classes", ".log");
        try {
            Run version = runWithEnv(java.util.Map.of("PODHOGS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), "-V");
            assertEquals(0, version.exit(), version::toString);
            String loaded = Files.readString(classes, StandardCharsets.UTF_8);
            assertTrue(loaded.contains("io.podhogs.cli.CliMain"), "the command line's entry point");
            assertTrue(!loaded.contains("io.quarkus.runtime.Application ") && !loaded.contains("io.quarkus.runtime.Quarkus "),
                    "no Quarkus boot");
        } finally {
            Files.deleteIfExists(classes);
        }
    }

    /**
     * The command line's own class archive (launcher/class-archive.sh), made as root with a monitor's
     * first second in it: a trace run loads the capture's and the engine's classes from it, not from
     * the jars.
     */
    @Test
    void aTraceRunLoadsItsClassesFromTheCommandLinesArchive() throws Exception {
        assertEquals(0, run("-V").exit()); // makes the archive if the build is newer
        try (var files = Files.list(Path.of("target/quarkus-app/class-archive"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("cli-")), "the command line's archive");
        }
        Path classes = Files.createTempFile("podhogs-classes", ".log");
        try {
            Run trace = runWithEnv(java.util.Map.of("PODHOGS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
                    "-t", "-c", "1", "-d", "1", "lo");
            assertEquals(0, trace.exit(), trace::toString);
            String loaded = Files.readString(classes, StandardCharsets.UTF_8);
            for (String c : List.of("io.podhogs.cli.CliMain", "io.podhogs.engine.Engine", "io.podhogs.capture.FrameBatch",
                    "picocli.CommandLine")) {
                assertTrue(loaded.contains(" " + c + " source: shared objects file"), () -> c + " not from the archive");
            }
            assertFalse(loaded.contains("io.podhogs.plugin.Cluster "), "nothing of the plugin's");
        } finally {
            Files.deleteIfExists(classes);
        }
    }

    /** Runs {@code script} with bash, the launcher's own {@code have_libpcap} defined first; returns status and output. */
    private static Run bash(java.util.Map<String, String> env, String script) throws Exception {
        String launcher = Files.readString(Path.of("podhogs"), StandardCharsets.UTF_8);
        java.util.regex.Matcher check = java.util.regex.Pattern.compile("(?ms)^have_libpcap\\(\\) \\{.*?^}$").matcher(launcher);
        assertTrue(check.find(), "./podhogs defines have_libpcap()");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + check.group() + "\n" + script)
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bash did not end");
        return new Run(p.exitValue(), out, "");
    }

    @Test
    void theLaunchersLibpcapCheckFindsItEveryTime() throws Exception {
        // Its first form, ldconfig -p | grep -q under pipefail, said "missing" 4 times in 200: grep
        // left at the first match and ldconfig died of SIGPIPE. Run as the launcher runs it, 500 times.
        Run r = bash(java.util.Map.of(), "for i in $(seq 500); do have_libpcap || { echo \"missing at run $i\"; exit 1; }; done; echo found");
        assertEquals(new Run(0, "found\n", ""), r);
    }

    @Test
    void theLaunchersLibpcapCheckSaysMissingWhenTheLinkerKnowsNone() throws Exception {
        Path bin = Files.createTempDirectory("podhogs-no-libpcap");
        Path ldconfig = bin.resolve("ldconfig");
        try {
            Files.writeString(ldconfig, "#!/bin/sh\necho '3 libs found in cache'\necho '\tlibc.so.6 => /lib/libc.so.6'\n");
            ldconfig.toFile().setExecutable(true);
            Run r = bash(java.util.Map.of("PATH", bin + ":" + System.getenv("PATH")),
                    "if have_libpcap; then echo found; else echo missing; fi");
            assertEquals(new Run(0, "missing\n", ""), r);
        } finally {
            Files.deleteIfExists(ldconfig);
            Files.deleteIfExists(bin);
        }
    }

    @Test
    void anOutOfMemoryErrorEndsTheAgentTheLauncherRuns() throws Exception {
        int port;
        int apiPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                java.net.ServerSocket t = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
            apiPort = t.getLocalPort();
        }
        Path output = Files.createTempFile("podhogs-launcher", ".out");
        ProcessBuilder pb = new ProcessBuilder(Path.of("podhogs").toAbsolutePath().toString(), "agent")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // The launcher's own JVM options, on a heap quick to fill (PODHOGS_JAVA_OPTS come after its -Xmx512m).
        pb.environment().putAll(java.util.Map.of("PODHOGS_JAVA_OPTS", "-Xmx128m", "QUARKUS_MANAGEMENT_PORT",
                Integer.toString(port), "QUARKUS_HTTP_PORT", Integer.toString(apiPort), "PODHOGS_KUBERNETES_MODE", "off",
                "PODHOGS_INTERFACES", "lo"));
        Process agent = pb.start();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                assertTrue(agent.isAlive(), () -> "the agent ended before it was ready:\n" + read(output));
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                            + "/q/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException e) {
                    return 0; // not listening yet
                }
            }, status -> status == 200, status -> "the agent to be ready (the last status: " + status + ", 0: no answer):\n"
                    + read(output));
            // exec: the launcher's process is the JVM
            io.podhogs.testing.HeapExhauster.loadInto(agent.pid());
            assertTrue(agent.waitFor(60, TimeUnit.SECONDS), () -> "the agent outlived its OutOfMemoryError:\n" + read(output));
            assertEquals(3, agent.exitValue(), () -> read(output));
            assertTrue(read(output).contains("Terminating due to java.lang.OutOfMemoryError: Java heap space"),
                    () -> read(output));
        } finally {
            agent.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
