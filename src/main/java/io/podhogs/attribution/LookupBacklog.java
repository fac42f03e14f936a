package io.podhogs.attribution;

/**
 * The bounds on the resolver's work lists, and what each turned away. Every flow the table tracks
 * may wait in them, and a flood of new flows must cost neither unbounded memory nor an engine
 * thread that does nothing but look: past a bound a flow is settled at once to the unknown bucket
 * of its side, counted here, its bytes counted as ever (docs/memory.md).
 *
 * @param maxPending flows waiting for their first lookup's verdict
 * @param maxRetrying flows settled unknown whose socket is looked for again now and then
 * @param maxPendingNanos the longest a flow may wait for a verdict, whatever holds it up (an
 *     interface that went before its role was known, a namespace never found): then it is unknown
 */
public record LookupBacklog(int maxPending, int maxRetrying, long maxPendingNanos) {
    public static final LookupBacklog DEFAULT = new LookupBacklog(16_384, 4_096, 60_000_000_000L);

    /** What the bounds turned away, in all (engine thread writes; snapshots copy). */
    public static final class Counts {
        long skipped;
        long expired;

        /** Flows settled unknown without a lookup: the pending list was full. */
        public long skipped() {
            return skipped;
        }

        /** Flows settled unknown after waiting {@link LookupBacklog#maxPendingNanos}. */
        public long expired() {
            return expired;
        }
    }
}
