package io.podhogs.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is written is read back to the byte, at every resolution, and a file stays within its bounds. */
class HistoryStoreTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    @TempDir
    Path dir;

    private HistoryWriter writer(Path file, HistorySettings settings) throws Exception {
        Connection c = HistoryFile.openForWriting(file, UTC);
        return new HistoryWriter(c, file, settings);
    }

    @Test
    void rowsWrittenInTwoFlushesAreReadBackSummedAtEveryResolution() throws Exception {
        Path file = dir.resolve("h.db");
        Instant t = Instant.parse("2026-12-05T10:02:00Z");
        try (HistoryWriter w = writer(file, HistorySettings.defaults())) {
            PendingRows p = new PendingRows();
            p.add(fiveMinutes(t), HistoryKey.program("/usr/bin/curl", "root"), Map.of("", new Traffic(100, 1, 2000, 2)));
            p.add(fiveMinutes(t.plusSeconds(300)), HistoryKey.program("/usr/bin/curl", "root"),
                    Map.of("external", new Traffic(50, 1, 0, 0)));
            w.write(p);
            p.clear();
            p.add(fiveMinutes(t.plusSeconds(3600)), HistoryKey.program("/usr/bin/curl", "root"),
                    Map.of("", new Traffic(7, 1, 3, 1)));
            w.write(p);
        }
        try (HistoryQuery q = HistoryQuery.open(file)) {
            List<HistoryRow> fives = q.rows(Resolution.FIVE_MINUTES, HistoryLevel.PROGRAM, false, null, null, 10);
            assertEquals(3, fives.size(), fives::toString);
            assertEquals(new Traffic(100, 1, 2000, 2), fives.get(0).traffic());
            assertEquals(Instant.parse("2026-12-05T10:00:00Z"), fives.get(0).start());
            assertEquals(Instant.parse("2026-12-05T10:05:00Z"), fives.get(0).end());
            List<HistoryRow> hours = q.rows(Resolution.HOURS, HistoryLevel.PROGRAM, false, null, null, 10);
            assertEquals(List.of(new Traffic(150, 2, 2000, 2), new Traffic(7, 1, 3, 1)),
                    hours.stream().map(HistoryRow::traffic).toList());
            List<HistoryRow> days = q.rows(Resolution.DAYS, HistoryLevel.PROGRAM, false, null, null, 10);
            assertEquals(1, days.size());
            assertEquals(new Traffic(157, 3, 2003, 3), days.get(0).traffic());
            assertEquals(Map.of("", new Traffic(107, 2, 2003, 3), "external", new Traffic(50, 1, 0, 0)),
                    days.get(0).byRemoteClass());
            assertEquals(HistoryKey.program("/usr/bin/curl", "root"), days.get(0).key());
        }
    }

    /** A flood of keys: named while a period is open up to ten times the top, the rest in 'other'; the top kept once it is over. */
    @Test
    void aClosedPeriodKeepsItsTopKeysAndSumsTheRestIntoOtherWithEveryByteKept() throws Exception {
        Path file = dir.resolve("h.db");
        HistorySettings top3 = new HistorySettings(HistorySettings.DEFAULT_FLUSH, 3, HistorySettings.DEFAULT_MAX_BYTES,
                Map.of());
        Instant t = Instant.parse("2026-12-05T10:02:00Z");
        long total = 0;
        try (HistoryWriter w = writer(file, top3)) {
            for (int i = 1; i <= 40; i++) { // program i sent i bytes, one flush each: 40 keys, the first 30 named while open
                PendingRows p = new PendingRows();
                p.add(fiveMinutes(t), HistoryKey.program("/usr/bin/p" + i, "root"), Map.of("", new Traffic(i, 1, 0, 0)));
                total += i;
                w.write(p);
            }
            try (HistoryQuery q = HistoryQuery.open(file)) {
                List<HistoryRow> open = q.rows(Resolution.FIVE_MINUTES, HistoryLevel.PROGRAM, false, null, null, 1000);
                assertEquals(31, open.size(), "30 named and other, while the period is open");
                assertEquals(total, open.stream().mapToLong(r -> r.traffic().sentBytes()).sum());
            }
            w.maintain(t.plusSeconds(3600)); // the 5-minute and hourly periods are over, the day is not
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM keys WHERE level = 'program'")) {
            r.next();
            assertEquals(31, r.getInt(1), "the 30 named and other: keys beyond the cap are not named in the file");
        }
        try (HistoryQuery q = HistoryQuery.open(file)) {
            List<HistoryRow> fives = q.rows(Resolution.FIVE_MINUTES, HistoryLevel.PROGRAM, false, null, null, 1000);
            assertEquals(List.of("/usr/bin/p30", "/usr/bin/p29", "/usr/bin/p28", "other"),
                    fives.stream().map(r -> r.key().name()).toList(), "the top three of the named, then other");
            assertEquals(total, fives.stream().mapToLong(r -> r.traffic().sentBytes()).sum(), "no byte lost");
            assertEquals(total - 30 - 29 - 28, fives.get(3).traffic().sentBytes());
            assertEquals(31, q.rows(Resolution.DAYS, HistoryLevel.PROGRAM, false, null, null, 1000).size(),
                    "the day is open: its keys stay named");
        }
    }

    @Test
    void rowsOlderThanTheirRetentionGoAndTheYearsStay() throws Exception {
        Path file = dir.resolve("h.db");
        Instant old = Instant.parse("2026-01-05T10:00:00Z");
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        try (HistoryWriter w = writer(file, HistorySettings.defaults())) {
            PendingRows p = new PendingRows();
            p.add(fiveMinutes(old), HistoryKey.program("/usr/bin/old", "root"), Map.of("", new Traffic(5, 1, 0, 0)));
            p.add(fiveMinutes(now), HistoryKey.program("/usr/bin/new", "root"), Map.of("", new Traffic(7, 1, 0, 0)));
            w.write(p);
            w.maintain(now);
        }
        try (HistoryQuery q = HistoryQuery.open(file)) {
            for (Resolution r : List.of(Resolution.FIVE_MINUTES, Resolution.HOURS, Resolution.DAYS)) {
                assertEquals(List.of("/usr/bin/new"), q.rows(r, HistoryLevel.PROGRAM, false, null, null, 10).stream()
                        .map(x -> x.key().name()).toList(), r.label() + ": eleven months is past its retention");
            }
            assertEquals(12, q.rows(Resolution.YEARS, HistoryLevel.PROGRAM, false, null, null, 10).stream()
                    .mapToLong(x -> x.traffic().sentBytes()).sum(), "a year is kept for ever");
            assertEquals(2, q.rows(Resolution.MONTHS, HistoryLevel.PROGRAM, false, null, null, 10).size());
        }
    }

    @Test
    void retentionIsSetPerResolutionAndZeroKeepsForEver() {
        HistorySettings s = HistorySettings.defaults().keeping(List.of("days=365d", "5min=0", "hours=90m"));
        assertEquals(Map.of(Resolution.HOURS, java.time.Duration.ofMinutes(90), Resolution.DAYS,
                java.time.Duration.ofDays(365), Resolution.MONTHS, java.time.Duration.ofDays(775)), s.retention());
    }

    @Test
    void pastItsBudgetTheFileLosesItsOldestFiveMinuteRowsFirst() throws Exception {
        Path file = dir.resolve("h.db");
        HistorySettings small = new HistorySettings(HistorySettings.DEFAULT_FLUSH, 1000, 96 << 10, Map.of());
        Instant start = Instant.parse("2026-12-05T00:00:00Z");
        try (HistoryWriter w = writer(file, small)) {
            for (int period = 0; period < 12; period++) {
                PendingRows p = new PendingRows();
                for (int i = 0; i < 200; i++) {
                    p.add(fiveMinutes(start.plusSeconds(300L * period)), HistoryKey.program("/opt/a-long-path/program-" + i,
                            "user" + i), Map.of("", new Traffic(1, 1, 0, 0)));
                }
                w.write(p);
            }
            w.maintain(start.plusSeconds(3600));
        }
        long used = Files.size(file);
        try (HistoryQuery q = HistoryQuery.open(file)) {
            List<HistoryRow> fives = q.rows(Resolution.FIVE_MINUTES, HistoryLevel.PROGRAM, false, null, null, 1000);
            assertTrue(!fives.isEmpty() && fives.get(0).start().isAfter(start), "the oldest 5-minute periods went first");
            assertEquals(2400, q.rows(Resolution.DAYS, HistoryLevel.PROGRAM, false, null, null, 1000).stream()
                    .mapToLong(r -> r.traffic().sentBytes()).sum(), "the day's total is whole");
        }
        assertTrue(used <= (96 << 10) + (16 << 10), "the file within its budget (and a few pages): " + used);
    }

    private static long fiveMinutes(Instant t) {
        return Resolution.FIVE_MINUTES.start(t, UTC).getEpochSecond();
    }
}
