package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.HistorySink;
import io.podhogs.history.HistoryRecorder;
import io.podhogs.history.HistorySettings;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.apps.Applications;
import io.podhogs.identity.IdentityLookup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** podhogs history's tables and errors, and --history's refusals, as a user meets them. */
class HistoryCommandTest {
    @TempDir
    Path dir;

    /** A file with two days of two programs, written as the monitor writes it. */
    private Path recorded() throws Exception {
        Path file = dir.resolve("h.db");
        HistoryRecorder r = HistoryRecorder.start(file, HistorySettings.defaults(), IdentityLookup.NONE, id -> null,
                uid -> uid == 0 ? "root" : "alice", Applications::automatic, false, Clock.systemUTC());
        r.accept(drain("2026-12-04T09:00:00Z", process(1, "/usr/bin/rsync", 0, new Traffic(3_000_000, 2100, 40_000, 600)),
                process(2, "/usr/bin/curl", 1000, new Traffic(2_000, 10, 1_048_576, 800))));
        r.accept(drain("2026-12-05T21:00:00Z", process(1, "/usr/bin/rsync", 0, new Traffic(1_000_000, 700, 10_000, 150))));
        r.close(); // the stop writes what it was handed
        return file;
    }

    private static AccountSnapshot process(int pid, String program, int uid, Traffic t) {
        ProcessOwner p = new ProcessOwner(new ProcessInfo(pid, pid, uid, program, program, program, CgroupIdentity.NONE));
        return new AccountSnapshot(new OwnerKey(p), Map.of(), t, 0, 0, false, 0, 0);
    }

    private static HistorySink.Drain drain(String time, AccountSnapshot... accounts) {
        return new HistorySink.Drain(Instant.parse(time), List.of(accounts), Map.of());
    }

    @Test
    void daysByProgramWithABarEachAndCsvAndJson() throws Exception {
        Path file = recorded();
        // Days as the file's zone counts them: this machine's when it was made.
        String day4 = Instant.parse("2026-12-04T09:00:00Z").atZone(java.time.ZoneId.systemDefault()).toLocalDate().toString();
        String day5 = Instant.parse("2026-12-05T21:00:00Z").atZone(java.time.ZoneId.systemDefault()).toLocalDate().toString();
        Run table = run("history", "--file", file.toString());
        assertEquals(new Run(0, String.join("\n",
                "days        program         user      received         sent        total",
                day4 + "  /usr/bin/rsync  root     39.06 KiB     2.86 MiB     2.90 MiB  ####################",
                "            /usr/bin/curl   alice     1.00 MiB     1.95 KiB     1.00 MiB  #######",
                day5 + "  /usr/bin/rsync  root      9.77 KiB   976.56 KiB   986.33 KiB  #######") + "\n", ""), table);
        Run csv = run("history", "--file", file.toString(), "--months", "-o", "csv", "--by", "program");
        String month = Instant.parse("2026-12-04T09:00:00Z").atZone(java.time.ZoneId.systemDefault()).toLocalDate()
                .withDayOfMonth(1).atStartOfDay(java.time.ZoneId.systemDefault()).toInstant().toString();
        String next = Instant.parse(month).atZone(java.time.ZoneId.systemDefault()).plusMonths(1).toInstant().toString();
        assertEquals(new Run(0, "start,end,program,user,sent_bytes,received_bytes\r\n"
                + month + "," + next + ",/usr/bin/rsync,root,4000000,50000\r\n"
                + month + "," + next + ",/usr/bin/curl,alice,2000,1048576\r\n", ""), csv);
        Run json = run("history", "--file", file.toString(), "--years", "-o", "json", "--top", "1");
        assertEquals(0, json.exit(), json::toString);
        assertEquals(2, json.out().lines().count(), "the top one and other: " + json.out());
        assertEquals(true, json.out().lines().toList().get(1).contains("\"program\":\"other\",\"user\":\"\",\"sent_bytes\":2000,"
                + "\"received_bytes\":1048576"), json.out());
    }

    @Test
    void applicationsAsTheRecordingMonitorGroupedThem() throws Exception {
        Path file = recorded(); // automatic grouping: a program's base name
        String day4 = Instant.parse("2026-12-04T09:00:00Z").atZone(java.time.ZoneId.systemDefault()).toLocalDate().toString();
        String day5 = Instant.parse("2026-12-05T21:00:00Z").atZone(java.time.ZoneId.systemDefault()).toLocalDate().toString();
        Run table = run("history", "--file", file.toString(), "--by", "app");
        assertEquals(new Run(0, String.join("\n",
                "days        app       received         sent        total",
                day4 + "  rsync    39.06 KiB     2.86 MiB     2.90 MiB  ####################",
                "            curl      1.00 MiB     1.95 KiB     1.00 MiB  #######",
                day5 + "  rsync     9.77 KiB   976.56 KiB   986.33 KiB  #######") + "\n", ""), table);
        Run json = run("history", "--file", file.toString(), "--by", "app", "--months", "-o", "json");
        assertTrue(json.out().lines().toList().get(0).contains("\"app\":\"rsync\",\"sent_bytes\":4000000,"
                + "\"received_bytes\":50000"), json.out());
    }

    @Test
    void badFilesAndOptionsAreOneLineAndStatusTwo() throws Exception {
        Path foreign = dir.resolve("vnstat.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE interface (id INTEGER PRIMARY KEY)");
        }
        String notOurs = foreign + " is not a podhogs history file (it is another program's SQLite database): give another"
                + " file; podhogs does not change it\n";
        assertEquals(new Run(2, "", "podhogs history: " + notOurs), run("history", "--file", foreign.toString()));
        assertEquals(new Run(2, "", "podhogs: " + notOurs), run("--history", foreign.toString(), "-t", "-c", "1", "lo"));
        assertEquals(new Run(2, "", "podhogs history: --by takes program, container, pod, workload, namespace or app, not 'user'"
                + " (podhogs history --help lists the options)\n"), run("history", "--by", "user"));
        assertEquals(new Run(2, "", "podhogs history: --top must be 1 or more, not 0 (podhogs history --help lists the"
                + " options)\n"), run("history", "--top", "0"));
        assertEquals(2, run("history", "--days", "--months").exit(), "one resolution at a time");
        assertEquals(new Run(2, "", "podhogs: --history-keep takes RESOLUTION=SPAN with 5min, hours, days, months or"
                + " years, not 'weeks=4' (podhogs --help lists the options)\n"),
                run("--history", dir.resolve("k.db").toString(), "--history-keep", "weeks=4", "-t", "lo"));
        assertEquals(new Run(2, "", "podhogs: --history-keep days=1y: the span is a whole number and s, m, h or d (48h,"
                + " 62d), or 0 for ever (podhogs --help lists the options)\n"),
                run("--history", dir.resolve("k.db").toString(), "--history-keep", "days=1y", "-t", "lo"));
    }

    @Test
    void aSecondMonitorOnTheSameFileIsRefused() throws Exception {
        Path file = dir.resolve("h.db");
        HistoryRecorder first = HistoryRecorder.start(file, HistorySettings.defaults(), IdentityLookup.NONE, id -> null,
                uid -> "root", Applications::automatic, false, Clock.systemUTC());
        try {
            assertEquals(new Run(2, "", "podhogs: history file " + file + " is being recorded by another podhogs (PID "
                    + ProcessHandle.current().pid() + "): give another file, or stop that one\n"),
                    run("--history", file.toString(), "-t", "-c", "1", "lo"));
        } finally {
            first.close();
        }
        Files.deleteIfExists(file);
    }

    @Test
    void aDeviceNamedHistoryIsWatchedAfterDoubleDash() {
        assertEquals(new Run(2, "", "podhogs: no such device: history (ip -br link lists the devices of this host)\n"),
                run("-t", "-c", "1", "--", "history"));
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), HostFiles.system());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
