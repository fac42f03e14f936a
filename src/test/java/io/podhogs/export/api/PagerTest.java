package io.podhogs.export.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Pages of a list on a clock the test drives: limits, pages that go on in the rows of the first page
 * although the rows are rebuilt and re-sorted in between, pinned lists bounded in number and rows and
 * dropped when idle, pages bounded in bytes, and every bad token or parameter refused with a message.
 */
class PagerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final Function<Object, byte[]> ENCODE = row -> {
        try {
            return JSON.writeValueAsBytes(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    };

    private long now = 1_000 * SECOND;
    private final Pager pager = new Pager(() -> now);

    /** A pod row sending {@code rate} bytes/s, so that the default order (busiest first) is by rate. */
    static Rows.Pod pod(String name, double rate) {
        Usage.Rate r = new Usage.Rate(rate, 0);
        return new Rows.Pod("shop", name, "uid-" + name, "", "", "node", Map.of("app", name.substring(0, 1)), false,
                new Usage(1, 0, 1, 0, Map.of("2s", r, "10s", r, "40s", r), r, Map.of()));
    }

    /** {@code count} pods, p0 the busiest. */
    static List<Rows.Pod> pods(String prefix, int count) {
        List<Rows.Pod> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(pod(prefix + i, count - i));
        }
        return rows;
    }

    private static Supplier<Pager.Listed> listed(List<? extends Rows.Row> rows) {
        return () -> new Pager.Listed(rows, 0);
    }

    private JsonNode page(List<? extends Rows.Row> rows, int limit, String token) {
        return page("pods", RowQuery.ALL, rows, limit, token);
    }

    private JsonNode page(String list, RowQuery query, List<? extends Rows.Row> rows, int limit, String token) {
        try {
            return JSON.readTree(pager.page(list, query, limit, token, listed(rows), ENCODE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(i -> names.add(i.get("pod").asText()));
        return names;
    }

    @Test
    void aPageIsTheLimitsRowsAndSaysWhatRemains() {
        List<Rows.Pod> rows = pods("p", 5);
        JsonNode first = page(rows, 2, null);
        assertEquals(List.of("p0", "p1"), names(first));
        assertEquals(3, first.get("remaining").asLong());
        assertEquals(0, first.get("omitted").asLong());
        assertTrue(first.hasNonNull("continue"));
        assertEquals(Set.of("items", "continue", "remaining", "omitted"), fieldNames(first));

        JsonNode all = page(rows, 5, null);
        assertEquals(5, all.get("items").size());
        assertFalse(all.has("continue"), "no token once every row is out");
        assertEquals(0, all.get("remaining").asLong());
        assertEquals(1, pager.cursors(), "the first list is pinned for its later pages; one that fits a page is not");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theDefaultAndTheMaximumLimit() {
        List<Rows.Pod> rows = pods("p", Pager.MAX_LIMIT + 10);
        assertEquals(Pager.DEFAULT_LIMIT, page(rows, Pager.DEFAULT_LIMIT, null).get("items").size());
        JsonNode most = page(rows, Integer.MAX_VALUE, null);
        assertEquals(Pager.MAX_LIMIT, most.get("items").size(), "a page holds at most MAX_LIMIT rows, whatever is asked");
        assertEquals(10, most.get("remaining").asLong());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> page(rows, 0, null));
        assertTrue(zero.getMessage().startsWith("limit must be 1 or more"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> page(rows, -3, null));
    }

    @Test
    void pagesGoOnInTheFirstPagesRowsThoughTheRowsChangeAndReorder() {
        List<Rows.Pod> before = pods("p", 10);
        JsonNode first = page(before, 4, null);
        // A refresh: the rows are rebuilt, the busiest are now others, new ones came, some went.
        List<Rows.Pod> after = new ArrayList<>(pods("q", 6));
        for (int i = 9; i >= 5; i--) {
            after.add(pod("p" + i, 100 + i)); // p9 is now the busiest of all
        }
        List<String> seen = new ArrayList<>(names(first));
        String token = first.get("continue").asText();
        while (token != null) {
            JsonNode next = page(after, 4, token);
            seen.addAll(names(next));
            token = next.has("continue") ? next.get("continue").asText() : null;
        }
        assertEquals(names(page(before, 10, null)), seen, "every row of the first page's list once, in its order");
        assertEquals(0, pager.cursors(), "the last page lets its list go");
        assertEquals(0, pager.pinnedRows());
    }

    @Test
    void aTokenCanBeAskedAgain() {
        List<Rows.Pod> rows = pods("p", 6);
        String token = page(rows, 2, null).get("continue").asText();
        assertEquals(names(page(rows, 2, token)), names(page(rows, 2, token)), "a retried page is the same page");
    }

    @Test
    void theQueryChoosesAndOrdersTheRowsOnce() {
        List<Rows.Pod> rows = new ArrayList<>(pods("a", 3));
        rows.addAll(pods("b", 3));
        RowQuery onlyA = new RowQuery("shop", "app=a", "sent");
        JsonNode first = page("pods", onlyA, rows, 2, null);
        assertEquals(List.of("a0", "a1"), names(first));
        String token = first.get("continue").asText();
        assertEquals(List.of("a2"), names(page("pods", RowQuery.ALL, rows, 2, token)),
                "the parameters may be left out: the first page's hold");
        String again = page("pods", onlyA, rows, 2, null).get("continue").asText();
        assertEquals(List.of("a2"), names(page("pods", onlyA, rows, 2, again)), "or given as they were");
        String third = page("pods", onlyA, rows, 2, null).get("continue").asText();
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> page("pods", new RowQuery(null, "app=b", null), rows, 2, third));
        assertTrue(other.getMessage().startsWith("continue goes on in the first page's rows"), other.getMessage());
    }

    @Test
    void badTokensAreRefusedWithWhatIsWrong() {
        List<Rows.Pod> rows = pods("p", 6);
        String token = page(rows, 2, null).get("continue").asText();
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class, () -> page(rows, 2, "abc"));
        assertTrue(garbage.getMessage().startsWith("continue is not a token this agent gave"), garbage.getMessage());
        IllegalArgumentException elsewhere = assertThrows(IllegalArgumentException.class,
                () -> page("connections", RowQuery.ALL, rows, 2, token));
        assertEquals("continue is a token of /api/v1/pods, not of /api/v1/connections", elsewhere.getMessage());
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("v1:pods:1:0".getBytes());
        Pager.CursorGone unknown = assertThrows(Pager.CursorGone.class, () -> page(rows, 2, forged));
        assertTrue(unknown.getMessage().startsWith("continue token expired"), unknown.getMessage());
    }

    @Test
    void anIdleListIsDroppedAndItsTokenIsGone() {
        List<Rows.Pod> rows = pods("p", 6);
        String token = page(rows, 2, null).get("continue").asText();
        now += (Pager.IDLE_SECONDS - 1) * SECOND;
        String next = page(rows, 2, token).get("continue").asText(); // asked: idle again from now
        now += (Pager.IDLE_SECONDS - 1) * SECOND;
        assertEquals(1, pager.cursors());
        now += 2 * SECOND;
        assertEquals(0, pager.cursors(), "not asked for IDLE_SECONDS: dropped");
        assertThrows(Pager.CursorGone.class, () -> page(rows, 2, next));
        assertEquals(1, pager.dropped());
    }

    @Test
    void pinnedListsAreBoundedInNumberTheLeastRecentlyUsedDropped() {
        List<Rows.Pod> rows = pods("p", 3);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < Pager.MAX_CURSORS; i++) {
            tokens.add(page(rows, 1, null).get("continue").asText());
            now += SECOND / 10;
        }
        assertEquals(Pager.MAX_CURSORS, pager.cursors());
        page(rows, 1, tokens.get(0)); // the first is used again: the second is now the least recently used
        String one = page(rows, 1, null).get("continue").asText();
        assertEquals(Pager.MAX_CURSORS, pager.cursors(), "never more than MAX_CURSORS");
        assertEquals(1, pager.dropped());
        assertThrows(Pager.CursorGone.class, () -> page(rows, 1, tokens.get(1)));
        assertEquals(List.of("p1"), names(page(rows, 1, tokens.get(0))));
        assertEquals(List.of("p1"), names(page(rows, 1, one)));
    }

    @Test
    void pinnedRowsAreBoundedTooOneListBeyondAllowed() {
        List<Rows.Pod> big = pods("p", Pager.MAX_PINNED_ROWS / 2 + 1);
        String a = page(big, 1, null).get("continue").asText();
        assertEquals(big.size(), pager.pinnedRows());
        String b = page(big, 1, null).get("continue").asText();
        assertEquals(big.size(), pager.pinnedRows(), "two would pass MAX_PINNED_ROWS: the older one is dropped");
        assertThrows(Pager.CursorGone.class, () -> page(big, 1, a));
        assertEquals(List.of("p1"), names(page(big, 1, b)));
        List<Rows.Pod> huge = pods("h", Pager.MAX_PINNED_ROWS + 1);
        page(huge, 1, null);
        assertEquals(huge.size(), pager.pinnedRows(), "one list alone is kept whatever its size: it was in memory anyway");
        assertEquals(1, pager.cursors());
    }

    @Test
    void aPageStopsBeforeItsByteBoundButHoldsOneRowAtLeast() {
        // Rows of about 1 MiB each (a pod with a very long label value): four fit no page.
        String big = "x".repeat(1 << 20);
        List<Rows.Pod> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Usage.Rate r = new Usage.Rate(6 - i, 0);
            rows.add(new Rows.Pod("shop", "p" + i, "u", "", "", "node", Map.of("big", big), false,
                    new Usage(1, 0, 1, 0, Map.of("2s", r, "10s", r, "40s", r), r, Map.of())));
        }
        byte[] body = pager.page("pods", RowQuery.ALL, 100, null, listed(rows), ENCODE);
        assertTrue(body.length <= Pager.MAX_PAGE_BYTES + 200, () -> body.length + " bytes");
        JsonNode first;
        try {
            first = JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(3, first.get("items").size(), "three rows of 1 MiB fit under 4 MiB, a fourth does not");
        assertEquals(3, first.get("remaining").asLong());

        String huge = "y".repeat(Pager.MAX_PAGE_BYTES + 10);
        Usage.Rate r = new Usage.Rate(1, 0);
        List<Rows.Pod> one = List.of(new Rows.Pod("shop", "h", "u", "", "", "node", Map.of("big", huge), false,
                new Usage(1, 0, 1, 0, Map.of("2s", r, "10s", r, "40s", r), r, Map.of())));
        assertEquals(1, page(one, 10, null).get("items").size(), "a row larger than a page still has its page");
    }

    @Test
    void omittedRowsAreSaidOnEveryPage() {
        List<Rows.Pod> rows = pods("p", 3);
        JsonNode first;
        JsonNode second;
        try {
            first = JSON.readTree(pager.page("connections", RowQuery.ALL, 2, null, () -> new Pager.Listed(rows, 1234), ENCODE));
            second = JSON.readTree(pager.page("connections", RowQuery.ALL, 2, first.get("continue").asText(),
                    () -> {
                        throw new AssertionError("a continued page reads no new rows");
                    }, ENCODE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(1234, first.get("omitted").asLong());
        assertEquals(1234, second.get("omitted").asLong());
        assertNotEquals(first.get("items"), second.get("items"));
    }
}
