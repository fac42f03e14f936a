package io.podhogs.testing;

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
import java.util.function.Predicate;

/**
 * One command in one tmux pane, looked at as a person looks at a terminal: its screen, keys typed
 * into it, its exit status. A tmux server of the test's own, on a socket in a directory of its own:
 * nothing of the user's tmux is touched, and {@link #close()} leaves nothing behind.
 *
 * <p>The command runs under a shell that writes its exit status to a file when it ends: tmux's own
 * #{pane_dead_status} is not to be relied on (tmux 3.3 can miss the SIGCHLD of a pane's command,
 * libutempter's handler takes it, tmux/tmux#311).
 */
public final class TmuxPane implements AutoCloseable {
    private static final String SESSION = "podhogs-test";
    /** How often a wait looks at the pane: a look runs tmux, a process of its own. */
    private static final Duration POLL = Duration.ofMillis(100);

    /** What a command printed (stdout and stderr together) and its exit status. */
    public record Exec(int exit, String output) {
    }

    private final Duration deadline;
    private final Path dir;
    private final Path socket;
    private final Path config;
    private final Path status;

    /** A tmux server ready for a pane; {@code deadline} bounds every wait. */
    public TmuxPane(Duration deadline) throws IOException {
        this.deadline = deadline;
        dir = Files.createTempDirectory("podhogs-tmux");
        socket = dir.resolve("tmux.sock");
        config = dir.resolve("tmux.conf");
        status = dir.resolve("status");
        // A pane that keeps its last screen after its command ends; no status line, so the pane is
        // the whole width x height.
        Files.writeString(config, "set -g remain-on-exit on\nset -g status off\n", StandardCharsets.UTF_8);
    }

    /** Runs a command to its end (20 s at most). */
    public static Exec exec(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("podhogs-tmux", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 20 s");
            }
            return new Exec(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    public Exec tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", config.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Starts {@code command} in a pane of {@code width} x {@code height}. With {@code survivesCtrlC}
     * the shell outlives a Ctrl-C that ends the command, to write its status: a trap that runs a
     * command (not one that ignores the signal, which the command would inherit) and is reset in it.
     */
    public void start(int width, int height, boolean survivesCtrlC, List<String> command)
            throws IOException, InterruptedException {
        Files.deleteIfExists(status);
        StringBuilder script = new StringBuilder(survivesCtrlC ? "trap : INT; " : "");
        for (String word : command) {
            script.append(quote(word)).append(' ');
        }
        script.append("; s=$?; echo $s > ").append(quote(status + ".tmp"))
                .append(" && mv ").append(quote(status + ".tmp")).append(' ').append(quote(status.toString()));
        // More than one word after the options: tmux runs them as they are, not through the user's shell.
        Exec r = tmux("new-session", "-d", "-s", SESSION, "-x", Integer.toString(width), "-y", Integer.toString(height),
                "/bin/sh", "-c", script.toString());
        if (r.exit() != 0) {
            fail("tmux new-session failed: " + r.output());
        }
    }

    public String screen() throws IOException, InterruptedException {
        Exec r = tmux("capture-pane", "-p", "-t", SESSION);
        if (r.exit() != 0) {
            fail("tmux capture-pane failed: " + r.output());
        }
        return r.output();
    }

    /** The pane's whole history, what scrolled off the screen included. */
    public String history() throws IOException, InterruptedException {
        Exec r = tmux("capture-pane", "-p", "-S", "-", "-t", SESSION);
        if (r.exit() != 0) {
            fail("tmux capture-pane failed: " + r.output());
        }
        return r.output();
    }

    /** Types {@code keys} literally. */
    public void type(String keys) throws IOException, InterruptedException {
        send("-l", keys);
    }

    /** Sends tmux key names (C-c, Enter ...). */
    public void send(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        Exec r = tmux(args.toArray(String[]::new));
        if (r.exit() != 0) {
            fail("tmux send-keys failed: " + r.output());
        }
    }

    /** Polls the screen until {@code shows} holds, and returns that screen. */
    public String await(String what, Predicate<String> shows) throws IOException, InterruptedException {
        return Await.until(deadline, POLL, this::screen, shows, (String screen) -> "the screen to show " + what + ":\n" + screen);
    }

    /** Waits for the command to end and returns its exit status. */
    public int awaitExit() throws IOException, InterruptedException {
        Await.until(deadline, POLL, () -> Files.exists(status), () -> "the command to exit:\n" + screenOrWhy());
        return Integer.parseInt(Files.readString(status, StandardCharsets.UTF_8).trim());
    }

    /** The screen for a failure's message: what it shows, or why it could not be read. */
    private String screenOrWhy() {
        try {
            return screen();
        } catch (IOException e) {
            return "(no screen: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no screen: interrupted)";
        }
    }

    /** Kills the session's command and tmux server; the pane may be started again. */
    public void kill() throws IOException, InterruptedException {
        tmux("kill-server");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        for (Path f : List.of(socket, config, status, Path.of(status + ".tmp"))) {
            Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }
}
