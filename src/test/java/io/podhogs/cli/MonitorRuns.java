package io.podhogs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a {@code podhogs --json} run the tests started: its refreshes' rows, and whether it captures yet. */
final class MonitorRuns {
    private MonitorRuns() {
    }

    /** The rows of the last complete refresh: those with the last time but one the output names. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lastRefresh(String out) {
        Map<Object, List<Map<String, Object>>> byTime = new LinkedHashMap<>();
        // Only whole lines: the run may be writing its last one as the test reads the file.
        int end = out.lastIndexOf('\n');
        for (String line : (end < 0 ? "" : out.substring(0, end)).split("\n")) {
            if (line.startsWith("{")) {
                Map<String, Object> row = (Map<String, Object>) MiniJson.parse(line);
                byTime.computeIfAbsent(row.get("time"), t -> new ArrayList<>()).add(row);
            }
        }
        List<List<Map<String, Object>>> blocks = new ArrayList<>(byTime.values());
        return blocks.size() < 2 ? List.of() : blocks.get(blocks.size() - 2); // the last may be half written
    }

    static long sum(List<Map<String, Object>> rows, String field) {
        return rows.stream().mapToLong(r -> ((Number) r.get(field)).longValue()).sum();
    }

    /** The process row of {@code pid}, or null. */
    static Map<String, Object> process(List<Map<String, Object>> rows, long pid) {
        return rows.stream().filter(r -> "process".equals(r.get("kind")) && ((Number) r.get("pid")).longValue() == pid)
                .findFirst().orElse(null);
    }

    /** A row's whole number. */
    static long number(Map<String, Object> row, String field) {
        return ((Number) row.get(field)).longValue();
    }

    /** Whether the process holds a packet socket (/proc/net/packet lists every one, by inode). */
    static boolean capturing(Process p) throws IOException {
        List<String> packet = Files.readAllLines(Path.of("/proc/net/packet"));
        try (var fds = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.startsWith("socket:[")) {
                        return false;
                    }
                    String inode = target.substring(8, target.length() - 1);
                    return packet.stream().skip(1).anyMatch(l -> l.strip().endsWith(" " + inode));
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException | java.io.UncheckedIOException exited) {
            return false;
        }
    }

    static String read(Path out) {
        try {
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
