package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.CgroupIdentity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run's summary: each row's bytes, and its highest, average and lowest rates, exactly; the bound. */
class LiveSummaryTest {
    private static final long SECOND = 1_000_000_000L;
    private static final RowFormat FORMAT = new RowFormat(ViewMode.TOTAL_BYTES, false, false, false);

    private static AccountSnapshot process(int pid, long sent, long received) {
        Traffic t = new Traffic(sent, sent / 1000, received, received / 1000);
        return new AccountSnapshot(new OwnerKey(new ProcessOwner(new ProcessInfo(pid, pid, 0, "/usr/bin/p" + pid,
                "p" + pid, "p", CgroupIdentity.NONE), 0)), Map.of(3, t), t, 0, 0, false, 0, 0);
    }

    @Test
    void ratesOverTheRefreshesEachRowWasShownIn() {
        LiveSummary s = new LiveSummary(0);
        // p1: 4000 B in the first second, 1000 in the second, 7000 in the third (sent); p2 from the second on.
        s.add(SECOND, List.of(process(1, 4000, 0)), FORMAT);
        s.add(2 * SECOND, List.of(process(1, 5000, 0), process(2, 0, 2000)), FORMAT);
        s.add(3 * SECOND, List.of(process(1, 12_000, 0), process(2, 0, 3000)), FORMAT);
        List<LiveSummary.Row> rows = s.rows();
        assertEquals(3.0, s.seconds());
        assertEquals(3, s.refreshes());
        LiveSummary.Row p1 = rows.get(0);
        assertEquals("/usr/bin/p1", p1.name());
        assertEquals(new Traffic(12_000, 12, 0, 0), p1.total());
        assertEquals(new LiveSummary.Rates(7000, 4000, 1000), p1.sent());
        assertEquals(new LiveSummary.Rates(0, 0, 0), p1.received());
        LiveSummary.Row p2 = rows.get(1);
        assertEquals(new LiveSummary.Rates(2000, 1000, 1000), p2.received(), "from the refresh it was first shown in");

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        SummaryWriter.text(new PrintStream(text, true, StandardCharsets.UTF_8), s);
        List<String> lines = text.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("podhogs: summary of 3.0 s, 3 refreshes:", lines.get(0));
        assertEquals(List.of("SENT", "RECEIVED", "TX", "MAX", "TX", "AVG", "TX", "MIN", "RX", "MAX", "RX", "AVG", "RX",
                "MIN", "PKTS", "TX", "PKTS", "RX", "TX", "PKT/S", "RX", "PKT/S", "PROGRAM/PID/UID"),
                List.of(lines.get(1).substring(9).strip().split(" +")));
        assertEquals("podhogs:   11.72 KiB         0 B   6.84 KiB/s   3.91 KiB/s     1000 B/s        0 B/s        0 B/s"
                + "        0 B/s        12         0      4.0      0.0  /usr/bin/p1/1/0", lines.get(2));

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        SummaryWriter.json(new PrintStream(json, true, StandardCharsets.UTF_8), s, Instant.parse("2026-12-06T21:00:03Z"));
        assertEquals("{\"time\":\"2026-12-06T21:00:03Z\",\"kind\":\"summary\",\"duration_seconds\":3.000,\"refreshes\":3,"
                + "\"rows_left_out\":0,\"rows\":[{\"kind\":\"process\",\"pid\":1,\"uid\":0,\"program\":\"/usr/bin/p1\","
                + "\"sent_bytes\":12000,\"received_bytes\":0,\"sent_packets\":12,\"received_packets\":0,"
                + "\"sent_bytes_per_second\":{\"max\":7000.0,\"average\":4000.0,\"min\":1000.0},"
                + "\"received_bytes_per_second\":{\"max\":0.0,\"average\":0.0,\"min\":0.0},"
                + "\"packets_per_second\":{\"sent\":4.0,\"received\":0.0}},", json.toString(StandardCharsets.UTF_8)
                .substring(0, json.toString(StandardCharsets.UTF_8).indexOf("},{") + 2));
    }

    @Test
    void rowsBeyondTheBoundAreCountedNotKept() {
        LiveSummary s = new LiveSummary(0);
        List<AccountSnapshot> many = new ArrayList<>();
        for (int pid = 1; pid <= LiveSummary.MAX_ROWS + 5; pid++) {
            many.add(process(pid, 1000, 0));
        }
        s.add(SECOND, many, FORMAT);
        assertEquals(LiveSummary.MAX_ROWS, s.rows().size());
        assertEquals(5, s.left());
    }
}
