package io.podhogs.engine;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.identity.CgroupIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the engine hands what it credited, once a second, to be recorded (the history): each
 * credited byte in exactly one {@link Drain}. The engine calls it on its own thread and never
 * waits: while the sink has no room, the ledger keeps the bytes until the next second.
 */
public interface HistorySink {
    /** Whether a drain would be taken now; false keeps the bytes in the ledger for later. */
    boolean hasRoom();

    /** Takes one drain; also called once at the engine's stop whatever {@link #hasRoom} says. */
    void accept(Drain drain);

    /**
     * What was credited since the last drain.
     *
     * @param time when it was taken (the engine's wall clock): the period its bytes are recorded in
     * @param accounts per account, the traffic it got meanwhile (see {@code Ledger.drainUnrecorded})
     * @param containersByNetns each network namespace's container, as the snapshot's (for the roll-up)
     */
    record Drain(Instant time, List<AccountSnapshot> accounts, Map<Long, CgroupIdentity> containersByNetns) {
    }
}
