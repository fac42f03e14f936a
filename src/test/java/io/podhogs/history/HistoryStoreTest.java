package io.podhogs.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
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

    private static long fiveMinutes(Instant t) {
        return Resolution.FIVE_MINUTES.start(t, UTC).getEpochSecond();
    }
}
