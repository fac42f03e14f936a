package io.podhogs.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.HistorySink;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.apps.Applications;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.testing.Await;
import io.podhogs.testing.Shell;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way a history file can be unusable is one line that says what and what to do, and the file
 * is never changed; a disk that fills up loses nothing that was counted; one writer at a time.
 */
class HistoryFaultsTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    @TempDir
    Path dir;

    @Test
    void anotherProgramsDatabaseIsRefusedAndLeftAsItWas() throws Exception {
        Path file = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE interface (id INTEGER PRIMARY KEY, name TEXT)"); // vnStat's, say
        }
        byte[] before = Files.readAllBytes(file);
        String said = file + " is not a podhogs history file (it is another program's SQLite database): give another"
                + " file; podhogs does not change it";
        assertEquals(said, assertThrows(HistoryException.class, () -> HistoryFile.openForWriting(file, UTC)).getMessage());
        assertEquals(said, assertThrows(HistoryException.class, () -> HistoryQuery.open(file)).getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void aFileANewerPodhogsWroteIsRefusedAndLeftAsItWas() throws Exception {
        Path file = dir.resolve("newer.db");
        HistoryFile.close(HistoryFile.openForWriting(file, UTC));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version=" + (HistoryFile.SCHEMA + 1));
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        byte[] before = Files.readAllBytes(file);
        String said = "history file " + file + " was written by a newer podhogs (schema " + (HistoryFile.SCHEMA + 1)
                + "; this one knows up to " + HistoryFile.SCHEMA + "): read it with that version; this one does not change it";
        assertEquals(said, assertThrows(HistoryException.class, () -> HistoryFile.openForWriting(file, UTC)).getMessage());
        assertEquals(said, assertThrows(HistoryException.class, () -> HistoryQuery.open(file)).getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void aDamagedFileIsRefusedAndNeverOverwritten() throws Exception {
        Path file = dir.resolve("damaged.db");
        byte[] junk = new byte[8192];
        new Random(17).nextBytes(junk);
        Files.write(file, junk);
        String said = file + " is not a database, or is damaged (SQLite: File opened that is not a database file): move it aside and"
                + " start a new one; podhogs does not overwrite it";
        assertEquals(said, assertThrows(HistoryException.class, () -> HistoryFile.openForWriting(file, UTC)).getMessage());
        assertEquals(said, assertThrows(HistoryException.class, () -> HistoryQuery.open(file)).getMessage());
        assertArrayEquals(junk, Files.readAllBytes(file));
    }

    @Test
    void anAbsentOrEmptyFileIsNothingToReadAndANewOneToWrite() throws Exception {
        Path absent = dir.resolve("absent.db");
        assertTrue(assertThrows(HistoryException.class, () -> HistoryQuery.open(absent)).getMessage()
                .startsWith("no history file at " + absent + " (podhogs --history " + absent + " records one"));
        assertFalse(Files.exists(absent), "reading makes no file");
        Path empty = Files.createFile(dir.resolve("empty.db"));
        assertEquals("history file " + empty + " is empty: nothing has been recorded into it yet",
                assertThrows(HistoryException.class, () -> HistoryQuery.open(empty)).getMessage());
        HistoryFile.close(HistoryFile.openForWriting(empty, UTC)); // an empty file is a new database
        try (HistoryQuery q = HistoryQuery.open(empty)) {
            assertEquals(List.of(), q.rows(Resolution.DAYS, HistoryLevel.PROGRAM, false, null, null, 10));
        }
        Path nowhere = dir.resolve("no-such-dir").resolve("h.db");
        assertEquals("history file " + nowhere + ": its directory " + nowhere.getParent() + " does not exist (make it, or"
                + " give another file)", assertThrows(HistoryException.class,
                () -> HistoryFile.openForWriting(nowhere, UTC)).getMessage());
    }

    /** A read-only file system (root may write anywhere else): said at once, nothing made. */
    @Test
    void aReadOnlyDirectoryIsSaidAtOnce() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Shell.run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro.toString());
        try {
            Path file = ro.resolve("h.db");
            assertEquals("history file " + file + " cannot be written (its directory " + ro + " is read-only): give a"
                    + " writable one, or run as a user who may write there", assertThrows(HistoryException.class,
                    () -> HistoryRecorder.start(file, HistorySettings.defaults(), IdentityLookup.NONE, id -> null,
                            uid -> "root", Applications::automatic, false, Clock.systemUTC())).getMessage());
        } finally {
            Shell.run("umount", ro.toString());
        }
    }

    /** Rows that a full disk kept from the file are kept in memory and written once there is room: none lost. */
    @Test
    void aFullDiskLosesNothingOnceThereIsRoomAgain() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        Shell.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString());
        try {
            Path file = small.resolve("h.db");
            HistoryRecorder recorder = HistoryRecorder.start(file, HistorySettings.withFlush(Duration.ofMillis(200)),
                    IdentityLookup.NONE, id -> null, uid -> "root", Applications::automatic, false, Clock.systemUTC());
            try {
                recorder.accept(drain(0, 10, 1000));
                Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> sent(file), s -> s == 10_000L,
                        s -> "the first rows written: " + s);
                Path filler = small.resolve("filler");
                fill(filler);
                recorder.accept(drain(10, 300, 7));
                Thread.sleep(1000); // flushes that find no room
                assertEquals(10_000L, sent(file), "nothing of the second drain could be written yet");
                Files.delete(filler);
                Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> sent(file),
                        s -> s == 10_000L + 300 * 7, s -> "every row once there is room again: " + s);
            } finally {
                recorder.close();
            }
        } finally {
            Shell.run("umount", small.toString());
        }
    }

    @Test
    void aSecondWriterIsRefusedOrWaitsAndTakesOverWhenTheFirstStops() throws Exception {
        Path file = dir.resolve("h.db");
        HistorySettings fast = HistorySettings.withFlush(Duration.ofMillis(200));
        HistoryRecorder first = HistoryRecorder.start(file, fast, IdentityLookup.NONE, id -> null, uid -> "root", Applications::automatic, false,
                Clock.systemUTC());
        HistoryRecorder waiting;
        try {
            assertEquals("history file " + file + " is being recorded by another podhogs (PID "
                    + ProcessHandle.current().pid() + "): give another file, or stop that one",
                    assertThrows(HistoryException.class, () -> HistoryRecorder.start(file, fast, IdentityLookup.NONE,
                            id -> null, uid -> "root", Applications::automatic, false, Clock.systemUTC())).getMessage());
            waiting = HistoryRecorder.start(file, fast, IdentityLookup.NONE, id -> null, uid -> "root", Applications::automatic, true,
                    Clock.systemUTC());
            first.accept(drain(0, 1, 100));
            waiting.accept(drain(1, 1, 5)); // counted while it waits: recorded once it has the file
        } finally {
            first.close();
        }
        try {
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> sent(file), s -> s == 105L,
                    s -> "both writers' rows: " + s);
        } finally {
            waiting.close();
        }
    }

    /** {@code keys} processes (/usr/bin/p{first}...), each with {@code bytes} sent. */
    private static HistorySink.Drain drain(int first, int keys, long bytes) {
        List<AccountSnapshot> accounts = new java.util.ArrayList<>();
        for (int i = first; i < first + keys; i++) {
            ProcessOwner p = new ProcessOwner(new ProcessInfo(1000 + i, i, 0, "/usr/bin/p" + i, "p", "p", CgroupIdentity.NONE));
            accounts.add(new AccountSnapshot(new OwnerKey(p), Map.of(), new Traffic(bytes, 1, 0, 0), 0, 0, false, 0, 0));
        }
        return new HistorySink.Drain(Instant.now(), accounts, Map.of());
    }

    /** The programs' sent bytes the file holds now (0 while it has none). */
    private static long sent(Path file) throws HistoryException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (HistoryQuery q = HistoryQuery.open(file)) {
            return q.rows(Resolution.YEARS, HistoryLevel.PROGRAM, false, null, null, 100_000).stream()
                    .mapToLong(r -> r.traffic().sentBytes()).sum();
        } catch (HistoryException e) {
            if (e.getMessage().contains("is empty")) {
                return 0;
            }
            throw e;
        }
    }

    private static void fill(Path filler) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            // no space left: full
        }
    }
}
