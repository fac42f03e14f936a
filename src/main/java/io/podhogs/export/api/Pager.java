package io.podhogs.export.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The API's lists in pages, each page bounded in rows ({@code limit}, {@value #DEFAULT_LIMIT} by
 * default, at most {@value #MAX_LIMIT}) and in bytes (about {@value #MAX_PAGE_BYTES}, whatever the
 * rows hold), and a {@code continue} token that goes on in the same rows: a list longer than its
 * first page is pinned as it was then, so that the rows re-sorted at every refresh neither repeat
 * nor go missing across pages, and totals summed over the pages are those of one moment.
 * <p>
 * A pinned list is the first page's rows (references to rows that were current then, not copies).
 * At most {@value #MAX_CURSORS} lists and {@value #MAX_PINNED_ROWS} rows are pinned (one list
 * beyond that is still allowed, as it was in memory anyway); making room drops the least recently
 * used list, and a list not asked for {@value #IDLE_SECONDS} s is dropped, both counted. Its last
 * page drops it at once. Asking for a dropped list is {@link CursorGone} (410): list again.
 * <p>
 * A page is written as {@code {"items":[...],"continue":"...","remaining":N,"omitted":M}}: the
 * token only while rows remain, {@code remaining} the rows after this page, {@code omitted} what the
 * list left out before any query (connections the engine tracked but did not copy).
 */
public final class Pager {
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 5000;
    public static final int MAX_PAGE_BYTES = 4 << 20;
    public static final int MAX_CURSORS = 64;
    public static final int MAX_PINNED_ROWS = 20_000;
    public static final int IDLE_SECONDS = 60;
    private static final long IDLE_NANOS = IDLE_SECONDS * 1_000_000_000L;
    private static final String VERSION = "v1";

    /** A list as the API has it now: its rows, and how many it left out before any query. */
    public record Listed(List<? extends Rows.Row> rows, long omitted) {
    }

    /** A continue token whose list was dropped (idle, or to make room): the client lists again. */
    public static final class CursorGone extends RuntimeException {
        CursorGone(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Cursor {
        final long id;
        final String list;
        final RowQuery query;
        final List<? extends Rows.Row> rows;
        final long omitted;
        long lastUsed;

        Cursor(long id, String list, RowQuery query, List<? extends Rows.Row> rows, long omitted, long now) {
            this.id = id;
            this.list = list;
            this.query = query;
            this.rows = rows;
            this.omitted = omitted;
            this.lastUsed = now;
        }
    }

    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    /** In access order: the least recently used first. */
    private final LinkedHashMap<Long, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true);
    private long pinnedRows;
    private long dropped;

    public Pager(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * One page of {@code list}.
     *
     * @param rows the list now (read only for a first page: a continued one is the pinned list)
     * @param limit rows asked for, 1 or more (more than {@value #MAX_LIMIT} is {@value #MAX_LIMIT})
     * @param token the continue token of the page before, or null for the first page
     * @param json a row as JSON
     * @throws IllegalArgumentException a bad limit, a token that is not one of this list's, or
     *     parameters that are not the first page's
     * @throws CursorGone a token whose list is no longer pinned
     */
    public byte[] page(String list, RowQuery query, int limit, String token, Supplier<Listed> rows,
                       Function<Object, byte[]> json) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more (at most " + MAX_LIMIT + " rows a page), not "
                    + limit);
        }
        int size = Math.min(limit, MAX_LIMIT);
        if (token == null) {
            Listed now = rows.get();
            return write(list, null, query, query.select(now.rows()), 0, size, now.omitted(), json);
        }
        Token t = Token.decode(token, list);
        Cursor c;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            expire(now);
            c = cursors.get(t.id());
            if (c == null) {
                throw new CursorGone("continue token expired: a list's later pages are kept " + IDLE_SECONDS
                        + " s after the last page asked and while fewer than " + MAX_CURSORS
                        + " lists are being paged; list again from the first page");
            }
            c.lastUsed = now;
        }
        if (!query.continues(c.query)) {
            throw new IllegalArgumentException("continue goes on in the first page's rows: namespace, selector and sort"
                    + " must be left out or be the first page's");
        }
        if (t.offset() > c.rows.size()) {
            throw new IllegalArgumentException("continue is not a token this agent gave (it points past the list)");
        }
        return write(list, c, c.query, c.rows, t.offset(), size, c.omitted, json);
    }

    private byte[] write(String list, Cursor cursor, RowQuery query, List<? extends Rows.Row> rows, int offset, int size,
                         long omitted, Function<Object, byte[]> json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"items\":[".getBytes(StandardCharsets.US_ASCII));
        int taken = 0;
        int bytes = 0;
        while (taken < size && offset + taken < rows.size()) {
            byte[] row = json.apply(rows.get(offset + taken));
            // At least one row a page, however large, so that every list can be read to its end.
            if (taken > 0 && bytes + 1 + row.length > MAX_PAGE_BYTES) {
                break;
            }
            if (taken > 0) {
                out.write(',');
            }
            out.writeBytes(row);
            bytes += row.length + 1;
            taken++;
        }
        int next = offset + taken;
        long remaining = rows.size() - next;
        out.writeBytes("]".getBytes(StandardCharsets.US_ASCII));
        if (remaining > 0) {
            long id = cursor != null ? cursor.id : pin(list, query, rows, omitted);
            out.writeBytes((",\"continue\":\"" + new Token(list, id, next).encode() + "\"").getBytes(StandardCharsets.US_ASCII));
        } else if (cursor != null) {
            unpin(cursor);
        }
        out.writeBytes((",\"remaining\":" + remaining + ",\"omitted\":" + omitted + "}").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private synchronized long pin(String list, RowQuery query, List<? extends Rows.Row> rows, long omitted) {
        long now = nanoClock.getAsLong();
        expire(now);
        while (!cursors.isEmpty() && (cursors.size() >= MAX_CURSORS || pinnedRows + rows.size() > MAX_PINNED_ROWS)) {
            Iterator<Cursor> eldest = cursors.values().iterator();
            Cursor c = eldest.next();
            eldest.remove();
            pinnedRows -= c.rows.size();
            dropped++;
        }
        long id;
        do {
            id = random.nextLong() & Long.MAX_VALUE;
        } while (cursors.containsKey(id));
        cursors.put(id, new Cursor(id, list, query, rows, omitted, now));
        pinnedRows += rows.size();
        return id;
    }

    private synchronized void unpin(Cursor c) {
        if (cursors.remove(c.id) != null) {
            pinnedRows -= c.rows.size();
        }
    }

    /** Drops the lists not asked for in a while (the least recently used come first). */
    private void expire(long now) {
        for (Iterator<Cursor> it = cursors.values().iterator(); it.hasNext(); ) {
            Cursor c = it.next();
            if (now - c.lastUsed < IDLE_NANOS) {
                break;
            }
            it.remove();
            pinnedRows -= c.rows.size();
            dropped++;
        }
    }

    /** Lists pinned now. */
    public synchronized int cursors() {
        expire(nanoClock.getAsLong());
        return cursors.size();
    }

    /** Rows pinned now. */
    public synchronized long pinnedRows() {
        expire(nanoClock.getAsLong());
        return pinnedRows;
    }

    /** Lists dropped before their last page was asked for (idle, or to make room), since the start. */
    public synchronized long dropped() {
        return dropped;
    }

    /** What a continue token says: which list, which pinned rows, and where the next page starts. */
    private record Token(String list, long id, int offset) {
        String encode() {
            String text = VERSION + ":" + list + ":" + Long.toHexString(id) + ":" + offset;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
        }

        static Token decode(String token, String list) {
            String[] parts;
            try {
                parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII).split(":", -1);
            } catch (IllegalArgumentException e) {
                parts = new String[0];
            }
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("continue is not a token this agent gave: pass the 'continue' of the"
                        + " page before, as it was");
            }
            if (!parts[1].equals(list)) {
                throw new IllegalArgumentException("continue is a token of /api/v1/" + parts[1] + ", not of /api/v1/"
                        + list);
            }
            try {
                long id = Long.parseUnsignedLong(parts[2], 16);
                int offset = Integer.parseInt(parts[3]);
                if (offset < 0) {
                    throw new NumberFormatException();
                }
                return new Token(list, id, offset);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("continue is not a token this agent gave: pass the 'continue' of the"
                        + " page before, as it was");
            }
        }
    }
}
