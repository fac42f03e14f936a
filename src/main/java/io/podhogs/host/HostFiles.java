package io.podhogs.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one door to the host's /proc and /sys. Everything that reads kernel state goes through it,
 * so tests can point it at a fixture tree and a container at /host/proc.
 *
 * <p>Reads are best effort by design: processes and interfaces vanish between listing and
 * reading, so a missing file is an empty answer, never an exception.
 */
public record HostFiles(Path proc, Path sys, Path etc) {

    public static HostFiles system() {
        return new HostFiles(Path.of("/proc"), Path.of("/sys"), Path.of("/etc"));
    }

    public Path proc(String first, String... more) {
        return proc.resolve(Path.of(first, more));
    }

    public Path sys(String first, String... more) {
        return sys.resolve(Path.of(first, more));
    }

    /** The whole file as text, or empty when it cannot be read (gone, no permission). */
    public Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The file's lines, or an empty list when it cannot be read. */
    public List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /**
     * Hands the file's lines to {@code line} one at a time, without holding them all: for files as
     * large as the kernel's tables (/proc/net/nf_conntrack holds a line per tracked connection, a
     * million on a busy node). Nothing when it cannot be read; a read that fails halfway stops there.
     */
    public void forEachLine(Path file, Consumer<String> line) {
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                line.accept(l);
            }
        } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
            // best effort, as every read here
        }
    }

    /** A small numeric file such as /sys/class/net/IF/ifindex, or -1. */
    public long readLong(Path file) {
        return read(file).map(String::trim).map(HostFiles::parseLongOrMinusOne).orElse(-1L);
    }

    private static long parseLongOrMinusOne(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
