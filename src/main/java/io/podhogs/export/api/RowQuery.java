package io.podhogs.export.api;

import io.podhogs.select.LabelSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which rows of a list and in what order: a namespace, a label selector ({@link LabelSelector}) and
 * a sort. Every parameter is checked when the query is made, before any row is read; how many rows a
 * page holds is the {@link Pager}'s.
 *
 * @param namespace only this Kubernetes namespace, or null for all
 * @param selector a label selector, or null for all
 * @param sort sent, received or total (the default): bytes per second over 2 s, busiest first;
 *     sent-bytes, received-bytes or bytes: cumulative bytes; null for the default
 */
public record RowQuery(String namespace, String selector, String sort) {
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public RowQuery {
        namespace = namespace == null || namespace.isEmpty() ? null : namespace;
        selector = selector == null || selector.isBlank() ? null : selector;
        if (namespace != null && (namespace.length() > 63 || !NAMESPACE.matcher(namespace).matches())) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not a namespace name (lower-case"
                    + " letters, digits and '-', at most 63)");
        }
        order(sort == null ? "total" : sort); // refused here, before any row is read
        LabelSelector.parse(selector); // likewise
    }

    /** Everything, in the default order. */
    public static final RowQuery ALL = new RowQuery(null, null, null);

    /** The rows chosen, in order: a new list. */
    public <T extends Rows.Row> List<T> select(List<T> rows) {
        Predicate<Map<String, String>> matches = LabelSelector.parse(selector);
        List<T> chosen = new ArrayList<>();
        for (T row : rows) {
            if ((namespace == null || namespace.equals(row.namespace())) && matches.test(row.labels())) {
                chosen.add(row);
            }
        }
        chosen.sort(order(sort == null ? "total" : sort).reversed());
        return List.copyOf(chosen);
    }

    /**
     * Whether a page's parameters go with the first page's: each either left out or the same (a
     * cursor's rows were chosen and ordered by the first page's).
     */
    boolean continues(RowQuery first) {
        return (namespace == null || Objects.equals(namespace, first.namespace))
                && (selector == null || Objects.equals(selector, first.selector))
                && (sort == null || Objects.equals(sort, first.sort == null ? "total" : first.sort));
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
}
