package io.podhogs.accounting;

import io.podhogs.attribution.Owner;

/**
 * Cumulative counters of one owner (a process or an unknown bucket) and its rate window. Counters
 * only ever grow, also after the process exits. Engine thread only.
 */
final class Account {
    private static final int MAX_INTERFACES = 8;

    private final Owner owner;
    private final RateWindow window;
    private final int[] interfaces = new int[MAX_INTERFACES];
    private int interfaceCount;
    private long sentBytes;
    private long sentPackets;
    private long receivedBytes;
    private long receivedPackets;
    private boolean exited;

    Account(Owner owner, int windowSamples, long nowNanos, long tickNanos) {
        this.owner = owner;
        // The first sample stands one tick back, so a new account shows a rate at its first refresh.
        this.window = new RateWindow(windowSamples, nowNanos - tickNanos);
    }

    void credit(int ifindex, long sb, long sp, long rb, long rp) {
        sentBytes += sb;
        sentPackets += sp;
        receivedBytes += rb;
        receivedPackets += rp;
        noteInterface(ifindex);
    }

    private void noteInterface(int ifindex) {
        for (int i = 0; i < interfaceCount; i++) {
            if (interfaces[i] == ifindex) {
                return;
            }
        }
        if (interfaceCount < MAX_INTERFACES) {
            interfaces[interfaceCount++] = ifindex;
        }
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

    int[] interfaces() {
        return java.util.Arrays.copyOf(interfaces, interfaceCount);
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

    double sentRate() {
        return window.sentRate();
    }

    double receivedRate() {
        return window.receivedRate();
    }
}
