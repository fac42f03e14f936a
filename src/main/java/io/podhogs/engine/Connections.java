package io.podhogs.engine;

import java.util.List;

/**
 * The engine's last copy of its connections for the API: at most a bounded number of them, the
 * busiest, and how many were left out. A node may track a million flows; a copy of every one of
 * them for one request would cost more memory than the flows themselves.
 *
 * @param flows the connections copied, busiest first (see {@link ConnectionSelection})
 * @param omitted connections tracked at the copy but not in it
 * @param copiedNanos when the copy was made (System.nanoTime), Long.MIN_VALUE before the first
 */
public record Connections(List<FlowSnapshot> flows, long omitted, long copiedNanos) {
    public static final Connections NONE = new Connections(List.of(), 0, Long.MIN_VALUE);

    public Connections {
        flows = List.copyOf(flows);
    }
}
