package io.podhogs.cli;

import static io.podhogs.cli.MonitorRuns.capturing;
import static io.podhogs.cli.MonitorRuns.lastRefresh;
import static io.podhogs.cli.MonitorRuns.process;
import static io.podhogs.cli.MonitorRuns.read;
import static io.podhogs.cli.MonitorRuns.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.Traffic;
import io.podhogs.testing.Await;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The process filters and applications on real traffic, as bwmon's users run them: six podhogs watch
 * one routed veth at once, one unfiltered, three filtered and two grouping applications, while a
 * host process sends into the veth's namespace. Each filtered run shows the processes it selects
 * with the bytes the unfiltered run gives them, and one 'filtered' row with the rest; each
 * application is the sum of its processes' rows: every run's rows add up to the veth's own counters
 * (each byte as sent once and as received once: docs/accounting.md), so a filter or a grouping
 * moves bytes between rows, never loses or doubles one.
 */
@Timeout(300)
class FilterTrafficTest extends MonitorRunFixture {
    @Test
    void filteredRunsShowTheSelectedProcessesExactlyAndSumTheRestIntoOneRow() throws Exception {
        TestNet.requireUsable();
        Host h = net.createHost();
        Map<String, Path> runs = new LinkedHashMap<>();
        runs.put("unfiltered", start(h, "unfiltered"));
        runs.put("match", start(h, "match", "--match", "tcp-send"));
        // bwmon's exclude wins over its include: both endpoints match "traffic", the sender is ignored.
        runs.put("ignore wins", start(h, "ignore", "--match", "traffic", "--ignore", "tcp-se[n]d"));
        runs.put("user", start(h, "user", "--user", "nobody"));
        runs.put("apps auto", start(h, "apps-auto", "--by", "app"));
        Path apps = dir.resolve("apps.yaml");
        Files.writeString(apps, "apps:\n  - name: senders\n    rules:\n      - match: tcp-se[n]d\n");
        runs.put("apps file", start(h, "apps-file", "--apps", apps.toString()));
        // The device exists, down: each run's capture takes it in from the start. --json writes
        // nothing until there are rows, so a run is ready when its packet socket is open.
        for (int i = 0; i < running.size(); i++) {
            Process p = running.get(i);
            Path out = new ArrayList<>(runs.values()).get(i);
            Await.until(Duration.ofSeconds(90), Duration.ofMillis(100), () -> capturing(p) || !p.isAlive(),
                    ready -> ready, ready -> "podhogs to open its capture:\n" + read(out));
            assertTrue(p.isAlive(), () -> read(out));
        }
        net.bringUp(h);
        long sender = net.sendToPeer(h, "5801", 400_000).pid();

        // Each run's last refresh, once every run's rows add up to the veth's counters.
        Map<String, List<Map<String, Object>>> last = new LinkedHashMap<>();
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
            Traffic kernel = Counters.of(h.hostIf());
            long carried = kernel.sentBytes() + kernel.receivedBytes();
            for (Map.Entry<String, Path> run : runs.entrySet()) {
                last.put(run.getKey(), lastRefresh(read(run.getValue())));
            }
            return last.values().stream().allMatch(rows -> sum(rows, "sent_bytes") == carried
                    && sum(rows, "received_bytes") == carried) ? kernel : null;
        }, k -> k != null, k -> "every run's rows to add up to the veth's counters " + Counters.of(h.hostIf()) + ": "
                + last);

        Map<String, Object> senderRow = process(last.get("unfiltered"), sender);
        assertNotNull(senderRow, () -> "the sender's row, unfiltered: " + last.get("unfiltered"));
        Map<String, Object> sinkRow = last.get("unfiltered").stream()
                .filter(r -> String.valueOf(r.get("command")).contains("tcp-sink")).findFirst().orElseThrow();
        assertTrue(((Number) senderRow.get("sent_bytes")).longValue() > 400_000, senderRow::toString);

        List<Map<String, Object>> match = last.get("match");
        assertEquals(2, match.size(), () -> "the sender and the filtered row: " + match);
        assertBytes(senderRow, process(match, sender));
        assertNotNull(filtered(match), match::toString);

        List<Map<String, Object>> ignoreWins = last.get("ignore wins");
        assertNull(process(ignoreWins, sender), () -> "--ignore wins over --match: " + ignoreWins);
        assertEquals(2, ignoreWins.size(), () -> "the sink and the filtered row: " + ignoreWins);
        assertBytes(sinkRow, process(ignoreWins, ((Number) sinkRow.get("pid")).longValue()));

        // Both endpoints run the same python: one application by its program's base name.
        String program = (String) senderRow.get("program");
        Map<String, Object> python = app(last.get("apps auto"), program.substring(program.lastIndexOf('/') + 1));
        for (String field : List.of("sent_bytes", "received_bytes", "sent_packets", "received_packets")) {
            assertEquals(((Number) senderRow.get(field)).longValue() + ((Number) sinkRow.get(field)).longValue(),
                    ((Number) python.get(field)).longValue(), () -> field + ": the sender's and the sink's: " + python);
        }
        List<Map<String, Object>> byFile = last.get("apps file");
        assertBytes(senderRow, app(byFile, "senders"));
        assertBytes(sinkRow, process(byFile, ((Number) sinkRow.get("pid")).longValue())); // no rule: its own row

        List<Map<String, Object>> user = last.get("user");
        assertEquals(1, user.size(), () -> "nobody's processes sent nothing, all of it is filtered: " + user);
        assertEquals("filtered", user.get(0).get("kind"), user::toString);
    }

    private Path start(Host h, String name, String... filter) throws IOException {
        Path out = dir.resolve(name + ".out");
        List<String> args = new ArrayList<>(List.of("--json", "-d", "0.5"));
        args.addAll(List.of(filter));
        args.add(h.hostIf()); // by name, before it exists: counted from its first frame
        startPodhogs(out, args.toArray(String[]::new));
        return out;
    }

    private static Map<String, Object> app(List<Map<String, Object>> rows, String name) {
        return rows.stream().filter(r -> "app".equals(r.get("kind")) && name.equals(r.get("program"))).findFirst()
                .orElseThrow(() -> new AssertionError("no application " + name + " in " + rows));
    }

    private static Map<String, Object> filtered(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> "filtered".equals(r.get("kind"))).findFirst().orElse(null);
    }

    private static void assertBytes(Map<String, Object> expected, Map<String, Object> actual) {
        assertNotNull(actual, () -> "a row with " + expected);
        for (String field : List.of("sent_bytes", "received_bytes", "sent_packets", "received_packets")) {
            assertEquals(((Number) expected.get(field)).longValue(), ((Number) actual.get(field)).longValue(),
                    () -> field + " of " + actual + ", unfiltered " + expected);
        }
    }
}
