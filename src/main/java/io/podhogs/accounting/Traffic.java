package io.podhogs.accounting;

/** Cumulative bytes and packets, both ways. */
public record Traffic(long sentBytes, long sentPackets, long receivedBytes, long receivedPackets) {
    public static final Traffic NONE = new Traffic(0, 0, 0, 0);

    public Traffic plus(Traffic o) {
        return new Traffic(sentBytes + o.sentBytes, sentPackets + o.sentPackets, receivedBytes + o.receivedBytes,
                receivedPackets + o.receivedPackets);
    }

    public Traffic minus(Traffic o) {
        return new Traffic(sentBytes - o.sentBytes, sentPackets - o.sentPackets, receivedBytes - o.receivedBytes,
                receivedPackets - o.receivedPackets);
    }

    /** Adds these counters to {@code counters} (sent bytes, sent packets, received bytes, received packets). */
    void addTo(long[] counters) {
        counters[0] += sentBytes;
        counters[1] += sentPackets;
        counters[2] += receivedBytes;
        counters[3] += receivedPackets;
    }
}
