package io.podhogs.attribution;

/**
 * Work done by the resolver, for self-monitoring; what its bounds turned away ({@link LookupBacklog}),
 * the translated conversations the last conntrack read left out ({@link NatTable#MAX_CONVERSATIONS}),
 * how long new flows waited for their process ({@link AttributionLatency}), and the pod namespaces
 * whose tables were read because the most exact lookups were open ({@link NamespaceLookups#MAX_OPEN}).
 */
public record ResolverStats(int pending, long socketReads, long lastSocketReadNanos, long fdScans,
                            long lastFdScanNanos, int sockets, int ownedInodes, int namespaces, int retrying,
                            long lookupsSkipped, long lookupsExpired, long retriesDropped, long natDropped,
                            AttributionLatency.Histogram attributionLatency, long namespaceLookupsDropped) {
    /** Stats of a resolver whose bounds turned nothing away. */
    public ResolverStats(int pending, long socketReads, long lastSocketReadNanos, long fdScans, long lastFdScanNanos,
                         int sockets, int ownedInodes, int namespaces) {
        this(pending, socketReads, lastSocketReadNanos, fdScans, lastFdScanNanos, sockets, ownedInodes, namespaces, 0,
                0, 0, 0, 0, AttributionLatency.Histogram.EMPTY, 0);
    }
}
