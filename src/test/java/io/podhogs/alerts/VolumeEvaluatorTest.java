package io.podhogs.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.Traffic;
import io.podhogs.history.HistoryKey;
import io.podhogs.history.HistoryLevel;
import io.podhogs.history.HistoryRow;
import io.podhogs.history.Resolution;
import io.podhogs.select.AccountFilter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Volume rules on a history's rows: a subject past the volume fires once in its period, a new
 * period resolves it, the history's 'other' and '(no ...)' rows are no subjects, and the rule's
 * names and namespaces choose.
 */
class VolumeEvaluatorTest {
    private static final Instant DAY1 = Instant.parse("2026-12-06T10:00:00Z");

    /** A history of one day's rows per period start, in UTC. */
    private static final class FakeHistory implements VolumeSource {
        final Map<Instant, List<HistoryRow>> days = new java.util.HashMap<>();

        @Override
        public Instant periodStart(Resolution period, Instant now) {
            return period.start(now, ZoneOffset.UTC);
        }

        @Override
        public List<HistoryRow> rows(HistoryLevel level, Resolution period, Instant start) {
            return days.getOrDefault(start, List.of()).stream().filter(r -> r.key().level() == level).toList();
        }

        void put(Instant day, HistoryKey key, long sent) {
            Instant start = Resolution.DAYS.start(day, ZoneOffset.UTC);
            days.computeIfAbsent(start, d -> new ArrayList<>()).add(new HistoryRow(start, start.plus(Duration.ofDays(1)),
                    key, new Traffic(sent, 1, 0, 0), Map.of()));
        }
    }

    private static AlertRule rule(AlertLevel per, Set<String> namespaces, String... names) {
        AccountFilter scope = new AccountFilter(Set.of(), List.of(), List.of(), Set.of(), List.of(), namespaces, "");
        return new AlertRule("daily-cap", 1, per, scope, List.of(), Direction.OUT, 0, 0, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, AlertActions.LOG_ONLY, new AlertRule.Volume(1_000_000, Resolution.DAYS,
                java.util.Arrays.stream(names).map(Pattern::compile).toList()));
    }

    private static List<String> said(List<AlertEvent> events) {
        return events.stream().map(e -> e.status() + " " + e.subject().name() + (e.reason().isEmpty() ? ""
                : " (" + e.reason() + ")")).toList();
    }

    @Test
    void aProgramPastTheVolumeFiresOnceADayAndANewDayResolvesIt() throws Exception {
        FakeHistory h = new FakeHistory();
        h.put(DAY1, HistoryKey.program("/usr/bin/rsync", "backup"), 1_500_000);
        h.put(DAY1, HistoryKey.program("/usr/bin/curl", "alice"), 999_999);
        h.put(DAY1, HistoryKey.other(HistoryLevel.PROGRAM), 5_000_000);
        VolumeEvaluator v = new VolumeEvaluator();
        AlertRule r = rule(AlertLevel.PROGRAM, Set.of());
        assertEquals(List.of("FIRING /usr/bin/rsync (backup)"), said(v.evaluate(List.of(r), DAY1, h)),
                "past the volume; 'other' is no subject; curl is below");
        assertEquals(List.of(), said(v.evaluate(List.of(r), DAY1.plusSeconds(60), h)), "once a day");
        assertEquals(1, v.firing("daily-cap"));
        Instant day2 = DAY1.plus(Duration.ofDays(1));
        assertEquals(List.of("RESOLVED /usr/bin/rsync (backup) (a new day began)"), said(v.evaluate(List.of(r), day2, h)));
        assertEquals(0, v.firing("daily-cap"));
        h.put(day2, HistoryKey.program("/usr/bin/rsync", "backup"), 2_000_000);
        assertEquals(List.of("FIRING /usr/bin/rsync (backup)"), said(v.evaluate(List.of(r), day2.plusSeconds(60), h)),
                "fires again the next day");
        List<AlertEvent> fired = v.evaluate(List.of(), day2.plusSeconds(120), h);
        assertEquals(List.of("RESOLVED /usr/bin/rsync (backup) (rule removed)"), said(fired));
    }

    @Test
    void namesAndNamespacesChooseThePods() throws Exception {
        FakeHistory h = new FakeHistory();
        h.put(DAY1, HistoryKey.pod("shop", "web-1", "Deployment/web"), 2_000_000);
        h.put(DAY1, HistoryKey.pod("shop", "db-0", "StatefulSet/db"), 2_000_000);
        h.put(DAY1, HistoryKey.pod("other", "web-9", "Deployment/web"), 2_000_000);
        h.put(DAY1, HistoryKey.outside(HistoryLevel.POD), 9_000_000);
        List<AlertEvent> events = new VolumeEvaluator().evaluate(List.of(rule(AlertLevel.POD, Set.of("shop"), "^web-")),
                DAY1, h);
        assertEquals(List.of("FIRING shop/web-1"), said(events));
        assertEquals(Map.of("namespace", "shop", "pod", "web-1"), events.get(0).subject().labels());
        assertEquals("alert FIRING daily-cap: pod shop/web-1 1.91 MiB out this day, above 976.56 KiB",
                events.get(0).line());
    }
}
