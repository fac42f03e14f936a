package io.podhogs.accounting;

import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import java.util.List;
import java.util.Map;

/**
 * One account at one moment, for display and export: cumulative bytes and packets, in total and
 * per interface index, and rates in bytes per second over the ledger's window.
 *
 * @param inferredSentBytes of the sent bytes, those of connections whose owner was inferred
 *     because their sockets were gone before they could be looked up (docs/accounting.md)
 * @param byRemote the traffic by the other end: its class and, where the cluster names it, its pod,
 *     Service or node (a few dozen named per account, the rest under their class); empty without a
 *     cluster
 * @param byRemoteClass the traffic and rates by the other end's class, for the classes that had
 *     any; empty without a cluster
 */
public record AccountSnapshot(AccountKey key, Map<Integer, Traffic> byInterface, Traffic total, double sentRate,
                              double receivedRate, boolean exited, long inferredSentBytes,
                              long inferredReceivedBytes, Map<RemotePeer, Traffic> byRemote,
                              Map<RemoteClass, RemoteClassTraffic> byRemoteClass) {

    public AccountSnapshot(AccountKey key, Map<Integer, Traffic> byInterface, Traffic total, double sentRate,
                           double receivedRate, boolean exited, long inferredSentBytes, long inferredReceivedBytes) {
        this(key, byInterface, total, sentRate, receivedRate, exited, inferredSentBytes, inferredReceivedBytes,
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
        return key.process() != null;
    }

    /** A sum of processes' accounts (a container, a pod ...), whose {@link #exited()} tells if all exited. */
    public boolean hasProcesses() {
        return key instanceof ContainerKey || key instanceof PodKey;
    }

    /** The process's PID, or 0 for unknown buckets (as nethogs prints them). */
    public int pid() {
        ProcessOwner p = key.process();
        return p == null ? 0 : p.process().pid();
    }

    /** The process's UID, or 0 for unknown buckets (as nethogs prints them). */
    public int uid() {
        ProcessOwner p = key.process();
        return p == null ? 0 : Math.max(0, p.process().uid());
    }

    public String program() {
        return key.program();
    }

    /** The container and pod of a process account's cgroup; none for the other accounts. */
    public CgroupIdentity cgroup() {
        return key.cgroup();
    }

    public String commandLine() {
        ProcessOwner p = key.process();
        return p == null ? key.program() : p.process().commandLine();
    }

    /** A process's arguments, one element each (empty for other accounts and kernel threads). */
    public List<String> arguments() {
        ProcessOwner p = key.process();
        return p == null ? List.of() : p.process().arguments();
    }
}
