package io.podhogs.accounting;

import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import java.util.List;
import java.util.Map;

/**
 * One account at one moment, for display and export: cumulative bytes and packets, in total and
 * per interface index, and rates in bytes per second over the ledger's window.
 *
 * @param inferredSentBytes of the sent bytes, those of connections whose owner was inferred
 *     because their sockets were gone before they could be looked up (accounting.md)
 * @param byRemote the traffic by the other end: its class and, where the cluster names it, its pod,
 *     Service or node (a few dozen named per account, the rest under their class); empty without a
 *     cluster
 * @param byRemoteClass the traffic and rates by the other end's class, for the classes that had
 *     any; empty without a cluster
 */
public record AccountSnapshot(Owner owner, Map<Integer, Traffic> byInterface, Traffic total, double sentRate,
                              double receivedRate, boolean exited, long inferredSentBytes,
                              long inferredReceivedBytes, Map<RemotePeer, Traffic> byRemote,
                              Map<RemoteClass, RemoteClassTraffic> byRemoteClass) {

    public AccountSnapshot(Owner owner, Map<Integer, Traffic> byInterface, Traffic total, double sentRate,
                           double receivedRate, boolean exited, long inferredSentBytes, long inferredReceivedBytes) {
        this(owner, byInterface, total, sentRate, receivedRate, exited, inferredSentBytes, inferredReceivedBytes,
                Map.of(), Map.of());
    }

    /** The traffic with one remote class (none when there was none, or no cluster). */
    public RemoteClassTraffic with(RemoteClass remoteClass) {
        return byRemoteClass.getOrDefault(remoteClass, RemoteClassTraffic.NONE);
    }

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

    /** A sum of processes' accounts (a container, a pod ...), whose {@link #exited()} tells if all exited. */
    public boolean hasProcesses() {
        return owner instanceof io.podhogs.attribution.ContainerOwner || owner instanceof io.podhogs.attribution.PodOwner;
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
        if (owner instanceof io.podhogs.attribution.ExitedProcessesOwner e) {
            return e.cgroup();
        }
        return owner instanceof io.podhogs.attribution.ContainerOwner c ? c.identity()
                : io.podhogs.identity.CgroupIdentity.NONE;
    }

    public String commandLine() {
        return owner instanceof ProcessOwner p ? p.process().commandLine() : owner.name();
    }

    /** A process's arguments, one element each (empty for other accounts and kernel threads). */
    public java.util.List<String> arguments() {
        return owner instanceof ProcessOwner p ? p.process().arguments() : java.util.List.of();
    }
}
