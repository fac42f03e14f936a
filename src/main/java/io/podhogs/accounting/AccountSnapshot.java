package io.podhogs.accounting;

import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessOwner;
import java.util.List;

/**
 * One account at one moment, for display and export: cumulative bytes and packets and rates in
 * bytes per second over the ledger's window.
 */
public record AccountSnapshot(Owner owner, List<Integer> interfaces, long sentBytes, long sentPackets,
                              long receivedBytes, long receivedPackets, double sentRate, double receivedRate,
                              boolean exited) {

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

    public String commandLine() {
        return owner instanceof ProcessOwner p ? p.process().commandLine() : owner.name();
    }
}
