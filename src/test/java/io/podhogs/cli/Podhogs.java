package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** podhogs as a process of its own: {@link io.podhogs.testing.CliMain} on the test class path, in a JVM set up as ./podhogs sets it. */
final class Podhogs {
    private static Path argFile;

    private Podhogs() {
    }

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A java @-file with the JVM options, the class path and the main class, so that a command line
     * (for tmux, say) is short: {@code java @file ARGS...}.
     */
    static synchronized Path argFile() throws IOException {
        if (argFile == null) {
            argFile = argFile(List.of());
        }
        return argFile;
    }

    /** A new @-file as {@link #argFile()}'s, with {@code moreOptions} after the JVM options ./podhogs gives. */
    static Path argFile(List<String> moreOptions) throws IOException {
        Path file = Files.createTempFile("podhogs-cli-test", ".args");
        file.toFile().deleteOnExit();
        String classPath = System.getProperty("java.class.path");
        List<String> lines = new ArrayList<>(List.of(
                "-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        lines.addAll(moreOptions);
        lines.addAll(List.of("-cp", quote(classPath), io.podhogs.testing.CliMain.class.getName()));
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static List<String> command(List<String> prefix, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(java());
        command.add("@" + argFile());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs podhogs with stdin, stdout and stderr not terminals, as in a pipe or a script. */
    static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return runWithPrefix(List.of(), timeout, args);
    }

    /** The same, with a command in front (setsid, to take the controlling terminal away). */
    static Result runWithPrefix(List<String> prefix, Duration timeout, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("podhogs-cli-test", ".out");
        Path err = Files.createTempFile("podhogs-cli-test", ".err");
        try {
            Process p = new ProcessBuilder(command(prefix, args))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("podhogs " + String.join(" ", args) + " did not exit within " + timeout + "\n--- stdout\n"
                        + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
