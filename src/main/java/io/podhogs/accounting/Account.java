package io.podhogs.accounting;

import io.podhogs.attribution.Owner;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cumulative counters of one owner (a process or an unknown bucket) and its rate window. Counters
 * only ever grow, also after the process exits. Engine thread only.
 */
final class Account {
    private final Owner owner;
    private final RateWindow window;
    /** Per interface index: sent bytes, sent packets, received bytes, received packets. */
    private final Map<Integer, long[]> byInterface = new LinkedHashMap<>();
    private long sentBytes;
    private long sentPackets;
    private long receivedBytes;
    private long receivedPackets;
    private long inferredSentBytes;
    private long inferredReceivedBytes;
    private boolean exited;

    Account(Owner owner, int windowSamples, long nowNanos, long tickNanos) {
        this.owner = owner;
        // The first sample stands one tick back, so a new account shows a rate at its first refresh.
        this.window = new RateWindow(windowSamples, nowNanos - tickNanos);
    }

    void credit(int ifindex, long sb, long sp, long rb, long rp, boolean inferred) {
        if (inferred) {
            inferredSentBytes += sb;
            inferredReceivedBytes += rb;
        }
        sentBytes += sb;
        sentPackets += sp;
        receivedBytes += rb;
        receivedPackets += rp;
        long[] on = byInterface.computeIfAbsent(ifindex, i -> new long[4]);
        on[0] += sb;
        on[1] += sp;
        on[2] += rb;
        on[3] += rp;
    }

    void sample(long nowNanos) {
        window.add(nowNanos, sentBytes, receivedBytes);
    }

    void markExited() {
        exited = true;
    }

    Owner owner() {
        return owner;
    }

    boolean exited() {
        return exited;
    }

    /** The traffic on each interface, in the order the interfaces were first seen. */
    Map<Integer, Traffic> byInterface() {
        Map<Integer, Traffic> copy = new LinkedHashMap<>();
        byInterface.forEach((i, t) -> copy.put(i, new Traffic(t[0], t[1], t[2], t[3])));
        return Collections.unmodifiableMap(copy);
    }

    long sentBytes() {
        return sentBytes;
    }

    long sentPackets() {
        return sentPackets;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    long receivedPackets() {
        return receivedPackets;
    }

    /** Of the bytes, those of flows whose owner was inferred (their sockets were gone). */
    long inferredSentBytes() {
        return inferredSentBytes;
    }

    long inferredReceivedBytes() {
        return inferredReceivedBytes;
    }

    double sentRate() {
        return window.sentRate();
    }

    double receivedRate() {
        return window.receivedRate();
    }
}
