package io.podhogs.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways a file gets a new version, each seen once: a ConfigMap volume's update (the kubelet's
 * {@code ..data} symlink swap, done here the way its AtomicWriter does it), an edit in place, a
 * replacement by rename, and a symlink into another directory (the poll's, not inotify's). Nothing
 * is said while nothing changes.
 */
class FileWatchTest {
    /** Far enough that only inotify can have told, where a test says so. */
    private static final Duration NO_POLL = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    private FileWatch watch;

    @AfterEach
    void stop() {
        if (watch != null) {
            watch.close();
        }
    }

    /** As the kubelet lays out a ConfigMap volume: apps.yaml -> ..data/apps.yaml, ..data -> ..TIMESTAMP. */
    private Path configMap(String text) throws Exception {
        Path version = writeVersion("..2026_12_06_20_00_00.000000001", text);
        Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
        Path file = dir.resolve("apps.yaml");
        Files.createSymbolicLink(file, Path.of("..data/apps.yaml"));
        return file;
    }

    private Path writeVersion(String name, String text) throws Exception {
        Path version = Files.createDirectory(dir.resolve(name));
        Files.writeString(version.resolve("apps.yaml"), text, StandardCharsets.UTF_8);
        return version;
    }

    /** The kubelet's update: the new version's directory, a new symlink renamed over ..data, the old directory gone. */
    private void swap(String name, String text) throws Exception {
        Path old = dir.resolve("..data").toRealPath();
        Path version = writeVersion(name, text);
        Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), version.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(old.resolve("apps.yaml"));
        Files.delete(old);
    }

    private static void awaitCount(AtomicInteger changes, int n) {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20), changes::get, c -> c >= n, "changes seen: " + n);
    }

    @Test
    void aConfigMapUpdateIsOneChange() throws Exception {
        Path file = configMap("apps: []\n");
        AtomicInteger changes = new AtomicInteger();
        String[] read = new String[1];
        watch = FileWatch.start(file, NO_POLL, () -> {
            read[0] = readQuietly(file);
            changes.incrementAndGet();
        }, "test-watch");
        Thread.sleep(500);
        assertEquals(0, changes.get(), "nothing changed yet");

        swap("..2026_12_06_20_01_00.000000002", "apps:\n  - name: web\n");
        awaitCount(changes, 1);
        Thread.sleep(500);
        assertEquals(1, changes.get(), "a swap is one change, not its three events");
        assertEquals("apps:\n  - name: web\n", read[0], "the new version is there when it is said");

        swap("..2026_12_06_20_02_00.000000003", "apps:\n  - name: db\n");
        awaitCount(changes, 2);
        Thread.sleep(500);
        assertEquals(2, changes.get());
        assertEquals("apps:\n  - name: db\n", read[0]);
    }

    @Test
    void anEditInPlaceAndAReplacementByRenameAreChanges() throws Exception {
        Path file = dir.resolve("apps.yaml");
        Files.writeString(file, "apps: []\n");
        AtomicInteger changes = new AtomicInteger();
        watch = FileWatch.start(file, NO_POLL, changes::incrementAndGet, "test-watch");

        Files.writeString(file, "apps:\n  - name: web\n"); // an editor that writes in place
        awaitCount(changes, 1);
        Path next = dir.resolve(".apps.yaml.swp");
        Files.writeString(next, "apps:\n  - name: db\n");
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING); // one that renames
        awaitCount(changes, 2);
        Files.delete(file);
        awaitCount(changes, 3); // gone is a version too: the listener says what it makes of it
        Thread.sleep(500);
        assertEquals(3, changes.get());
    }

    @Test
    void aSymlinkIntoAnotherDirectoryIsPolled() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path target = elsewhere.resolve("rules.yaml");
        Files.writeString(target, "apps: []\n");
        Path watched = Files.createDirectory(dir.resolve("watched"));
        Path file = Files.createSymbolicLink(watched.resolve("apps.yaml"), target);
        AtomicInteger changes = new AtomicInteger();
        watch = FileWatch.start(file, Duration.ofMillis(300), changes::incrementAndGet, "test-watch");
        Thread.sleep(700);
        assertEquals(0, changes.get(), "polls of an unchanged file say nothing");
        Files.writeString(target, "apps:\n  - name: web\n"); // no event in the watched directory
        awaitCount(changes, 1);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
