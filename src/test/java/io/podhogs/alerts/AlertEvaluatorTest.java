package io.podhogs.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.Traffic;
import io.podhogs.select.AccountFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The alerts' states on timelines of one subject's sent bytes, evaluated once a second with a 10 s
 * window, 1000 B/s to fire: when each fires and resolves, exactly.
 */
class AlertEvaluatorTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Instant T0 = Instant.parse("2026-12-06T21:00:00Z");

    private static AlertRule rule(String name, double clearBelow, String clearAfter, String cooldown) {
        return new AlertRule(name, 1, AlertLevel.PROCESS, AccountFilter.ALL, List.of(), Direction.OUT, 1000, clearBelow,
                Duration.ofSeconds(10), Quantities.span(clearAfter), Quantities.span(cooldown), AlertActions.LOG_ONLY);
    }

    private static final AlertSubject RSYNC = new AlertSubject(AlertLevel.PROCESS, "/usr/bin/rsync/42",
            Map.of("pid", "42", "program", "/usr/bin/rsync"));

    /**
     * Runs {@code timeline} ("0-30:2000,30-60:0": from second 0 to 30 2000 B/s, then none; "gone@20":
     * the subject is no longer there from second 20; "drop@20:30000": its total falls by that much,
     * as an application's does when a member's account moves out) and says its transitions as
     * "SECOND:STATUS".
     */
    private static List<String> run(AlertRule rule, String timeline) {
        AlertEvaluator evaluator = new AlertEvaluator(10);
        List<String> said = new ArrayList<>();
        long total = 0;
        long gone = Long.MAX_VALUE;
        List<long[]> rates = new ArrayList<>();
        List<long[]> drops = new ArrayList<>();
        for (String part : timeline.split(",")) {
            if (part.startsWith("gone@")) {
                gone = Long.parseLong(part.substring(5));
            } else if (part.startsWith("drop@")) {
                String[] at = part.substring(5).split(":");
                drops.add(new long[] {Long.parseLong(at[0]), Long.parseLong(at[1])});
            } else {
                String[] span = part.split("[-:]");
                rates.add(new long[] {Long.parseLong(span[0]), Long.parseLong(span[1]), Long.parseLong(span[2])});
            }
        }
        long end = rates.stream().mapToLong(r -> r[1]).max().orElse(0);
        for (long t = 0; t <= end; t++) {
            for (long[] r : rates) {
                if (t > r[0] && t <= r[1]) {
                    total += r[2]; // the bytes of the second that ended at t
                }
            }
            for (long[] d : drops) {
                if (t == d[0]) {
                    total -= d[1];
                }
            }
            List<AlertEvaluator.Subject> subjects = t >= gone ? List.of()
                    : List.of(new AlertEvaluator.Subject("rsync", RSYNC, new Traffic(total, 0, 0, 0)));
            long at = t;
            for (AlertEvent e : evaluator.evaluate(List.of(rule), t * SECOND, T0.plusSeconds(t), r -> subjects)) {
                said.add(at + ":" + e.status() + (e.reason().isEmpty() ? "" : "(" + e.reason() + ")"));
            }
        }
        return said;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a burst fires once and clears once        | 500  | 5s | 5m | 0-30:2000,30-60:0                         | 10:FIRING,43:RESOLVED(below 500 B/s for 5s)
            flapping within the cooldown fires once   | 500  | 5s | 5m | 0-20:2000,20-40:0,40-60:2000,60-80:0,80-100:2000 | 10:FIRING,33:RESOLVED(below 500 B/s for 5s)
            with no cooldown it fires again           | 500  | 5s | 0s | 0-20:2000,20-40:0,40-60:2000              | 10:FIRING,33:RESOLVED(below 500 B/s for 5s),46:FIRING
            between the two levels it stays firing    | 500  | 5s | 5m | 0-30:2000,30-90:700                       | 10:FIRING
            a short dip does not clear it             | 500  | 5s | 5m | 0-30:2000,30-36:0,36-60:2000              | 10:FIRING
            at once below the level it clears at once | 1000 | 0s | 5m | 0-30:2000,30-40:0                         | 10:FIRING,36:RESOLVED(below 1000 B/s for 0s)
            gone while firing resolves                | 500  | 5s | 5m | 0-30:2000,gone@20                         | 10:FIRING,20:RESOLVED(gone)
            a total that falls is no negative rate    | 500  | 5s | 5m | 0-40:2000,drop@20:30000                   | 10:FIRING
            below the threshold it never fires        | 500  | 5s | 5m | 0-60:1000                                 | ''
            younger than the window it does not fire  | 500  | 5s | 5m | 0-9:100000                                | ''
            """)
    void transitions(String name, double clearBelow, String clearAfter, String cooldown, String timeline, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(","));
        assertEquals(want, run(rule("r", clearBelow, clearAfter, cooldown), timeline), name);
    }

    @Test
    void aRuleNoLongerThereResolvesWhatItHadFiringAndOthersKeepTheirState() {
        AlertEvaluator evaluator = new AlertEvaluator(10);
        AlertRule a = rule("a", 500, "5s", "5m");
        AlertRule b = rule("b", 500, "5s", "5m");
        List<String> said = new ArrayList<>();
        for (long t = 0; t <= 12; t++) {
            List<AlertEvaluator.Subject> s = List.of(new AlertEvaluator.Subject("rsync", RSYNC,
                    new Traffic(t * 2000, 0, 0, 0)));
            List<AlertRule> rules = t < 12 ? List.of(a, b) : List.of(b);
            for (AlertEvent e : evaluator.evaluate(rules, t * SECOND, T0.plusSeconds(t), r -> s)) {
                said.add(t + ":" + e.rule().name() + ":" + e.status() + ":" + e.reason());
            }
        }
        assertEquals(List.of("10:a:FIRING:", "10:b:FIRING:", "12:a:RESOLVED:rule removed"), said);
        assertEquals(1, evaluator.firing("b"), "b still fires: its state was kept");
        assertEquals(0, evaluator.firing("a"));
    }

    @Test
    void subjectsBeyondTheBoundAreCountedNotWatched() {
        AlertEvaluator evaluator = new AlertEvaluator(2);
        AlertRule r = rule("r", 500, "5s", "5m");
        for (long t = 0; t <= 10; t++) {
            List<AlertEvaluator.Subject> s = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                s.add(new AlertEvaluator.Subject("p" + i, RSYNC, new Traffic(t * 2000, 0, 0, 0)));
            }
            evaluator.evaluate(List.of(r), t * SECOND, T0.plusSeconds(t), x -> s);
        }
        assertEquals(2, evaluator.firing("r"), "two watched, both firing");
        assertEquals(3 * 11, evaluator.untracked(), "three subjects left out at each of 11 evaluations");
    }
}
