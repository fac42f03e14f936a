package io.podhogs.export.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.Traffic;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rates over 2, 10 and 40 s of a row's own totals, and its peak, on a clock the test drives. */
class RowHistoryTest {
    private static final long SECOND = 1_000_000_000L;
    private final RowHistory history = new RowHistory();

    private Usage at(long second, long sent, long received) {
        history.beginRefresh();
        Usage u = history.usage("pod/x", new Traffic(sent, sent / 1000, received, received / 1000), Map.of(), second * SECOND);
        history.endRefresh();
        return u;
    }

    @Test
    void eachWindowIsItsOwnSpanOfTheRowsHistory() {
        Usage u = null;
        // 60 s at 1000 B/s sent, then the last 5 s at 9000 B/s; received 500 B/s throughout.
        long sent = 0;
        for (int s = 0; s <= 60; s++) {
            sent += s == 0 ? 0 : (s > 55 ? 9000 : 1000);
            u = at(s, sent, 500L * s);
        }
        assertEquals(9000.0, u.rates().get("2s").sent(), 1e-9);
        assertEquals((5 * 9000.0 + 5 * 1000) / 10, u.rates().get("10s").sent(), 1e-9);
        assertEquals((5 * 9000.0 + 35 * 1000) / 40, u.rates().get("40s").sent(), 1e-9);
        assertEquals(500.0, u.rates().get("40s").received(), 1e-9);
        assertEquals(9000.0, u.peak().sent(), 1e-9, "the highest 2 s rate seen");

        for (int s = 61; s <= 63; s++) {
            u = at(s, sent, 500L * s);
        }
        assertEquals(0.0, u.rates().get("2s").sent(), "quiet for 2 s: no rate");
        assertEquals(9000.0, u.peak().sent(), 1e-9, "the peak stays");
    }

    @Test
    void aYoungRowsWindowsSpanItsLifeAndAForgottenRowStartsAgain() {
        at(0, 0, 0);
        Usage u = at(4, 8000, 0);
        assertEquals(2000.0, u.rates().get("40s").sent(), 1e-9, "4 s of history: its rate over those");
        history.beginRefresh();
        history.endRefresh(); // a refresh without the row: gone
        u = at(5, 8000, 0);
        assertEquals(0.0, u.rates().get("2s").sent(), "one sample: no rate yet");
        assertEquals(0.0, u.peak().sent());
    }

    @Test
    void frequentRefreshesKeepSamplesASecondApart() {
        Usage u = null;
        for (int tenth = 0; tenth <= 600; tenth++) { // 60 s of refreshes every 100 ms at 1000 B/s
            history.beginRefresh();
            u = history.usage("pod/y", new Traffic(100L * tenth, tenth, 0, 0), Map.of(), tenth * SECOND / 10);
            history.endRefresh();
        }
        assertEquals(1000.0, u.rates().get("2s").sent(), 1e-6);
        assertEquals(1000.0, u.rates().get("40s").sent(), 1e-6);
        org.junit.jupiter.api.Assertions.assertTrue(history.samples("pod/y") <= 42,
                () -> history.samples("pod/y") + " samples kept");
    }
}
