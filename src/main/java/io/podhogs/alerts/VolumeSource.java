package io.podhogs.alerts;

import io.podhogs.history.HistoryException;
import io.podhogs.history.HistoryLevel;
import io.podhogs.history.HistoryQuery;
import io.podhogs.history.HistoryRow;
import io.podhogs.history.Resolution;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** Where volume rules read the current period's bytes: the history file the monitor records into. */
public interface VolumeSource {
    /** Keys read per rule and period at most: a period's top keys are named, the rest are in 'other'. */
    int MAX_KEYS = 10_000;

    /** The current period of {@code period} at {@code now}, as the file counts its periods (its zone). */
    Instant periodStart(Resolution period, Instant now) throws HistoryException;

    /** Each key's row of {@code level} in the period that starts at {@code start}. */
    List<HistoryRow> rows(HistoryLevel level, Resolution period, Instant start) throws HistoryException;

    /** The history file at {@code file}, opened for each reading (SQLite in WAL mode: beside its writer). */
    static VolumeSource history(Path file) {
        return new VolumeSource() {
            @Override
            public Instant periodStart(Resolution period, Instant now) throws HistoryException {
                try (HistoryQuery q = HistoryQuery.open(file)) {
                    ZoneId zone = q.zone();
                    return period.start(now, zone);
                }
            }

            @Override
            public List<HistoryRow> rows(HistoryLevel level, Resolution period, Instant start) throws HistoryException {
                try (HistoryQuery q = HistoryQuery.open(file)) {
                    return q.rows(period, level, false, start, null, MAX_KEYS);
                }
            }
        };
    }
}
