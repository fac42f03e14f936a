package io.podhogs.accounting;

/**
 * What one flow counted since it was last credited: sent bytes and packets, received bytes and
 * packets. Mutable and reused: the engine fills one for each flow on every tick and the ledger adds
 * it to its counters at once, so that crediting allocates nothing. No one keeps it.
 */
public final class TrafficDelta {
    private long sentBytes;
    private long sentPackets;
    private long receivedBytes;
    private long receivedPackets;

    /** One delta, for a single credit (tests, one-off buckets). */
    public static TrafficDelta of(long sentBytes, long sentPackets, long receivedBytes, long receivedPackets) {
        return new TrafficDelta().set(sentBytes, sentPackets, receivedBytes, receivedPackets);
    }

    public TrafficDelta set(long sentBytes, long sentPackets, long receivedBytes, long receivedPackets) {
        this.sentBytes = sentBytes;
        this.sentPackets = sentPackets;
        this.receivedBytes = receivedBytes;
        this.receivedPackets = receivedPackets;
        return this;
    }

    /** Packets either way: a delta without any has nothing to credit. */
    public boolean hasPackets() {
        return sentPackets != 0 || receivedPackets != 0;
    }

    /**
     * Adds this to the four counters from {@code at} on, laid out as sent bytes, sent packets,
     * received bytes, received packets (the accounts' and the engine's arrays of counters).
     */
    public void addTo(long[] counters, int at) {
        counters[at] += sentBytes;
        counters[at + 1] += sentPackets;
        counters[at + 2] += receivedBytes;
        counters[at + 3] += receivedPackets;
    }

    public long sentBytes() {
        return sentBytes;
    }

    public long sentPackets() {
        return sentPackets;
    }

    public long receivedBytes() {
        return receivedBytes;
    }

    public long receivedPackets() {
        return receivedPackets;
    }

    @Override
    public String toString() {
        return "TrafficDelta[" + sentBytes + " B/" + sentPackets + " sent, " + receivedBytes + " B/" + receivedPackets
                + " received]";
    }
}
