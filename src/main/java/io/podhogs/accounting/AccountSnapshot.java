package io.podhogs.accounting;

import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessOwner;
import java.util.List;
import java.util.Map;

/**
 * One account at one moment, for display and export: cumulative bytes and packets, in total and
 * per interface index, and rates in bytes per second over the ledger's window.
 *
 * @param inferredSentBytes of the sent bytes, those of connections whose owner was inferred
 *     because their sockets were gone before they could be looked up (accounting.md)
 */
public record AccountSnapshot(Owner owner, Map<Integer, Traffic> byInterface, Traffic total, double sentRate,
                              double receivedRate, boolean exited, long inferredSentBytes,
                              long inferredReceivedBytes) {

    /** Interface indexes in the order the account's traffic first appeared on them. */
    public List<Integer> interfaces() {
        return List.copyOf(byInterface.keySet());
    }

    public Traffic on(int ifindex) {
        return byInterface.getOrDefault(ifindex, Traffic.NONE);
    }

    public long sentBytes() {
        return total.sentBytes();
    }

    public long sentPackets() {
        return total.sentPackets();
    }

    public long receivedBytes() {
        return total.receivedBytes();
    }

    public long receivedPackets() {
        return total.receivedPackets();
    }

    public boolean isProcess() {
        return owner instanceof ProcessOwner;
    }

    /** The process's PID, or 0 for unknown buckets (as nethogs prints them). */
    public int pid() {
        return owner instanceof ProcessOwner p ? p.process().pid() : 0;
    }

    /** The process's UID, or 0 for unknown buckets (as nethogs prints them). */
    public int uid() {
        return owner instanceof ProcessOwner p ? Math.max(0, p.process().uid()) : 0;
    }

    public String program() {
        return owner.name();
    }

    /** The container and pod of a process account's cgroup; none for the other accounts. */
    public io.podhogs.identity.CgroupIdentity cgroup() {
        if (owner instanceof ProcessOwner p) {
            return p.process().cgroup();
        }
        return owner instanceof io.podhogs.attribution.ContainerOwner c ? c.identity()
                : io.podhogs.identity.CgroupIdentity.NONE;
    }

    public String commandLine() {
        return owner instanceof ProcessOwner p ? p.process().commandLine() : owner.name();
    }
}
