package io.podhogs.attribution;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Flows that went to unknown, looked up again after 1, 2, 4 ... 32 s, then left unknown: a socket
 * may turn up late (a server whose accept backlog lags under load: until accept(), a connection's
 * socket has no inode). The list is bounded ({@link LookupBacklog#maxRetrying()}): when it is full
 * the oldest goes, counted. Engine thread only.
 */
final class UnknownRetries {
    private static final int MAX_RETRIES = 6;
    private static final long FIRST_RETRY_NANOS = 1_000_000_000L;

    private final int max;
    private final List<TrackedFlow> retrying = new ArrayList<>();
    private long dropped;

    UnknownRetries(int max) {
        this.max = max;
    }

    /** Puts an unknown flow on the list; the oldest goes when the list is full. */
    void add(TrackedFlow flow, long nowNanos) {
        if (max == 0) {
            dropped++;
            return;
        }
        if (retrying.size() >= max) {
            retrying.remove(0).stopRetrying();
            dropped++;
        }
        flow.scheduleRetry(nowNanos + FIRST_RETRY_NANOS);
        retrying.add(flow);
    }

    /**
     * Looks again for the flows whose time has come: {@code owner} gives the process found now, or
     * null; a flow found or out of retries leaves the list, the others are due again later.
     *
     * @return the flows found, their owners set
     */
    List<TrackedFlow> due(long nowNanos, Function<TrackedFlow, ProcessOwner> owner) {
        List<TrackedFlow> found = new ArrayList<>(0);
        for (Iterator<TrackedFlow> it = retrying.iterator(); it.hasNext(); ) {
            TrackedFlow flow = it.next();
            if (nowNanos - flow.retryAtNanos() < 0) {
                continue;
            }
            ProcessOwner o = owner.apply(flow);
            if (o != null) {
                flow.owner(o);
                flow.stopRetrying();
                it.remove();
                found.add(flow);
            } else if (flow.retries() >= MAX_RETRIES) {
                flow.stopRetrying();
                it.remove();
            } else {
                flow.scheduleRetry(nowNanos + (FIRST_RETRY_NANOS << flow.retries()));
            }
        }
        return found;
    }

    int size() {
        return retrying.size();
    }

    /** Flows no more looked for because the list was full. */
    long dropped() {
        return dropped;
    }
}
