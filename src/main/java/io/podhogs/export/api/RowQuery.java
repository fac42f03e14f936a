package io.podhogs.export.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The API's query parameters: a namespace, a label selector (Kubernetes's equality-based form:
 * {@code app=web,tier!=db,canary,!legacy}), an order and a limit.
 *
 * @param sort sent, received or total (the default): bytes per second over 2 s, busiest first;
 *     sent-bytes, received-bytes or bytes: cumulative bytes
 */
public record RowQuery(String namespace, String selector, String sort, int limit) {
    public RowQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no limit) or more, not " + limit);
        }
        order(sort == null ? "total" : sort); // refused here, before any row is read
        labels(selector); // likewise
    }

    public <T extends Rows.Row> List<T> apply(List<T> rows) {
        Predicate<Map<String, String>> matches = labels(selector);
        List<T> chosen = new ArrayList<>();
        for (T row : rows) {
            if ((namespace == null || namespace.isEmpty() || namespace.equals(row.namespace())) && matches.test(row.labels())) {
                chosen.add(row);
            }
        }
        chosen.sort(order(sort == null ? "total" : sort).reversed());
        return limit > 0 && chosen.size() > limit ? List.copyOf(chosen.subList(0, limit)) : List.copyOf(chosen);
    }

    private static Comparator<Rows.Row> order(String sort) {
        return switch (sort) {
            case "sent" -> Comparator.comparingDouble(r -> r.usage().rates().get("2s").sent());
            case "received" -> Comparator.comparingDouble(r -> r.usage().rates().get("2s").received());
            case "total" -> Comparator.comparingDouble(r -> r.usage().rates().get("2s").sent()
                    + r.usage().rates().get("2s").received());
            case "sent-bytes" -> Comparator.comparingLong(r -> r.usage().sentBytes());
            case "received-bytes" -> Comparator.comparingLong(r -> r.usage().receivedBytes());
            case "bytes" -> Comparator.comparingLong(r -> r.usage().total());
            default -> throw new IllegalArgumentException("sort is sent, received, total, sent-bytes, received-bytes or"
                    + " bytes, not " + sort);
        };
    }

    /** An equality-based label selector; null or empty selects everything. */
    static Predicate<Map<String, String>> labels(String selector) {
        Predicate<Map<String, String>> all = m -> true;
        if (selector == null || selector.isBlank()) {
            return all;
        }
        for (String term : selector.split(",")) {
            String t = term.trim();
            Predicate<Map<String, String>> one;
            if (t.contains("!=")) {
                String[] kv = t.split("!=", 2);
                one = m -> !kv[1].trim().equals(m.get(kv[0].trim()));
            } else if (t.contains("=")) {
                String[] kv = t.split("==?", 2);
                one = m -> kv[1].trim().equals(m.get(kv[0].trim()));
            } else if (t.startsWith("!")) {
                String k = t.substring(1).trim();
                one = m -> !m.containsKey(k);
            } else if (!t.isEmpty() && t.matches("[A-Za-z0-9./_-]+")) {
                one = m -> m.containsKey(t);
            } else {
                throw new IllegalArgumentException("not a label selector term: '" + t + "' (key=value, key!=value, key,"
                        + " !key)");
            }
            all = all.and(one);
        }
        return all;
    }
}
