package io.podhogs.export.api;

import java.util.Map;

/**
 * One row's traffic: cumulative counters, rates over three windows (as iftop shows 2, 10 and 40
 * seconds), the highest 2-second rate seen, and the bytes by remote class. Rates are bytes per second.
 *
 * @param rates "2s", "10s" and "40s": the rates over that much of the row's history (less while the
 *     row is younger)
 * @param peak the highest 2-second rates seen since the agent first showed the row
 * @param remoteClasses bytes and packets by the other end's class (empty without a cluster)
 */
public record Usage(long sentBytes, long receivedBytes, long sentPackets, long receivedPackets,
                    Map<String, Rate> rates, Rate peak, Map<String, ClassUsage> remoteClasses) {

    /** Bytes per second, each way. */
    public record Rate(double sent, double received) {
    }

    public record ClassUsage(long sentBytes, long receivedBytes, long sentPackets, long receivedPackets) {
    }

    long total() {
        return sentBytes + receivedBytes;
    }
}
