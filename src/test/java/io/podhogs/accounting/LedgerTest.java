package io.podhogs.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rates slide on the engine's clock, not on packets, and totals never go down. */
class LedgerTest {
    private static final long TICK = 100_000_000L;
    private final ProcessOwner curl = new ProcessOwner(new ProcessInfo(42, 7, 0, "curl", "curl x", "curl",
            io.podhogs.identity.CgroupIdentity.NONE));

    @Test
    void ratesCoverTheWindowAndFallToZeroWhenTrafficStops() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        long now = 0;
        for (int i = 0; i < 30; i++) { // 3 s at 100 kB sent per tick: 1 MB/s
            now += TICK;
            ledger.credit(curl, 3, TrafficDelta.of(100_000, 70, 5_000, 60), now);
            ledger.sample(now);
        }
        AccountSnapshot busy = only(ledger.snapshot());
        assertEquals(1_000_000.0, busy.sentRate(), 1e-6);
        assertEquals(50_000.0, busy.receivedRate(), 1e-6);
        assertEquals(new Traffic(3_000_000, 2100, 150_000, 1800), busy.total());
        assertEquals(busy.total(), busy.on(3), "all of it on interface 3");

        for (int i = 0; i < 20; i++) { // 2 s of silence: no credits, the clock goes on
            now += TICK;
            ledger.sample(now);
        }
        AccountSnapshot quiet = only(ledger.snapshot());
        assertEquals(0.0, quiet.sentRate());
        assertEquals(0.0, quiet.receivedRate());
        assertEquals(busy.total(), quiet.total(), "totals stay");
    }

    @Test
    void anExitedProcessKeepsItsTotals() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        ledger.credit(curl, 3, TrafficDelta.of(500, 1, 0, 0), TICK);
        ledger.markExited(p -> p.equals(curl));
        AccountSnapshot gone = only(ledger.snapshot());
        assertTrue(gone.exited());
        assertEquals(500, gone.sentBytes());
        assertTrue(ledger.liveProcesses().isEmpty());
    }

    private static AccountSnapshot only(List<AccountSnapshot> accounts) {
        assertEquals(1, accounts.size());
        return accounts.get(0);
    }

    @Test
    void retiredAccountsKeepTheirTotalsUnderTheirNewOwnerWithoutARateSpike() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        io.podhogs.identity.RemotePeer internet = io.podhogs.identity.RemotePeer.of(io.podhogs.identity.RemoteClass.EXTERNAL);
        AccountKey retired = new RetiredPodsKey("shop", new Workload("Deployment", "web"));
        long now = 0;
        for (int i = 0; i < 30; i++) {
            now += TICK;
            ledger.credit(curl, 3, TrafficDelta.of(1000, 1, 10, 1), now, false, internet);
            ledger.sample(now);
        }
        for (int i = 0; i < 30; i++) { // quiet for 3 s: no rate left
            now += TICK;
            ledger.sample(now);
        }
        assertEquals(1, ledger.retire(k -> k.equals(new OwnerKey(curl)) ? retired : null, now));
        now += TICK;
        ledger.sample(now);
        AccountSnapshot after = only(ledger.snapshot());
        assertEquals(retired, after.key());
        assertEquals(new Traffic(30_000, 30, 300, 30), after.total());
        assertEquals(new Traffic(30_000, 30, 300, 30), after.on(3));
        assertEquals(new Traffic(30_000, 30, 300, 30), after.with(io.podhogs.identity.RemoteClass.EXTERNAL).total());
        assertEquals(0.0, after.sentRate(), "old bytes are no rate now");
        assertEquals(0.0, after.with(io.podhogs.identity.RemoteClass.EXTERNAL).sentRate());
        assertEquals(0, ledger.retire(k -> null, now), "nothing else to retire");
    }

    @Test
    void exitedProcessesIdleLongerThanTheRetentionAreFoldedAndLiveOnesStay() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        ProcessOwner gone = new ProcessOwner(new ProcessInfo(43, 8, 0, "cron", "cron", "cron",
                io.podhogs.identity.CgroupIdentity.NONE));
        ledger.credit(curl, 3, TrafficDelta.of(100, 1, 10, 1), TICK);
        ledger.credit(gone, 3, TrafficDelta.of(700, 7, 70, 7), TICK);
        ledger.markExited(p -> p.equals(gone));
        assertEquals(0, ledger.retireExited(5 * TICK, 3 * TICK), "not idle long enough yet");
        assertEquals(1, ledger.retireExited(5 * TICK, 6 * TICK));
        List<AccountSnapshot> after = ledger.snapshot();
        assertEquals(2, after.size(), after::toString);
        AccountSnapshot folded = after.stream().filter(a -> a.key() instanceof ExitedProcessesKey).findFirst().orElseThrow();
        assertEquals(new ExitedProcessesKey(io.podhogs.identity.CgroupIdentity.NONE, 0), folded.key());
        assertEquals(new Traffic(700, 7, 70, 7), folded.total());
        assertTrue(after.stream().anyMatch(a -> a.key().equals(new OwnerKey(curl))), "a live process keeps its account");
        assertEquals(0, ledger.retireExited(5 * TICK, 100 * TICK), "the live one is never folded");

        // A late packet of the retired process's flow: credited where its account went, no row back.
        ledger.credit(gone, 3, TrafficDelta.of(5, 1, 0, 0), 101 * TICK);
        List<AccountSnapshot> late = ledger.snapshot();
        assertEquals(2, late.size(), late::toString);
        assertEquals(new Traffic(705, 8, 70, 7), late.stream()
                .filter(a -> a.key() instanceof ExitedProcessesKey).findFirst()
                .orElseThrow().total());

        // And on, when that account is folded further (a deleted pod's into its workload's).
        ProcessOwner other = new ProcessOwner(new ProcessInfo(99, 9, 0, "x", "x", "x",
                io.podhogs.identity.CgroupIdentity.NONE));
        ledger.retire(k -> k instanceof ExitedProcessesKey ? new OwnerKey(other) : null, 102 * TICK);
        ledger.credit(gone, 3, TrafficDelta.of(1, 1, 0, 0), 103 * TICK);
        assertEquals(new Traffic(706, 9, 70, 7), ledger.snapshot().stream().filter(a -> a.key().equals(new OwnerKey(other)))
                .findFirst().orElseThrow().total());
        assertEquals(2, ledger.size());
        // The owner that account is kept under is credited straight into it, as any owner is.
        ledger.credit(other, 3, TrafficDelta.of(2, 1, 0, 0), 104 * TICK);
        assertEquals(new Traffic(708, 10, 70, 7), ledger.snapshot().stream().filter(a -> a.key().equals(new OwnerKey(other)))
                .findFirst().orElseThrow().total());
        assertEquals(2, ledger.size());
    }

    @Test
    void trafficOnInterfacesGoneIsFoldedIntoOneEntryWithTheTotalsKept() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        ledger.credit(curl, 3, TrafficDelta.of(100, 1, 10, 1), TICK);
        ledger.credit(curl, 7, TrafficDelta.of(200, 2, 20, 2), TICK);
        ledger.credit(curl, 8, TrafficDelta.of(400, 4, 40, 4), TICK);
        ledger.credit(curl, 0, TrafficDelta.of(1000, 10, 100, 10), TICK);
        ledger.foldInterfaces(i -> i == 7 || i == 8, 0);
        AccountSnapshot a = ledger.snapshot().get(0);
        assertEquals(List.of(3, 0), a.interfaces(), "the live interface stays, the gone ones join entry 0");
        assertEquals(new Traffic(1600, 16, 160, 16), a.on(0));
        assertEquals(new Traffic(1700, 17, 170, 17), a.total(), "totals unchanged");
    }

    @Test
    void aNamespacesBucketsAreNotForwardedForTheNamespaceInodeIsReused() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        io.podhogs.attribution.Owner oldPods = io.podhogs.attribution.UnknownOwner.of(6, 4026532999L);
        OwnerKey oldPodsKey = new OwnerKey(oldPods);
        ProcessOwner workload = new ProcessOwner(new ProcessInfo(77, 9, 0, "w", "w", "w",
                io.podhogs.identity.CgroupIdentity.NONE));
        ledger.credit(oldPods, 3, TrafficDelta.of(100, 1, 0, 0), TICK);
        ledger.retire(k -> k.equals(oldPodsKey) ? new OwnerKey(workload) : null, 2 * TICK);
        // A new pod's namespace under the same inode: its unknown bytes are its own.
        ledger.credit(io.podhogs.attribution.UnknownOwner.of(6, 4026532999L), 3, TrafficDelta.of(50, 1, 0, 0), 3 * TICK);
        assertEquals(new Traffic(50, 1, 0, 0), ledger.snapshot().stream()
                .filter(a -> a.key().equals(oldPodsKey)).findFirst().orElseThrow().total());
        assertEquals(new Traffic(100, 1, 0, 0), ledger.snapshot().stream()
                .filter(a -> a.key().equals(new OwnerKey(workload))).findFirst().orElseThrow().total());
    }

    @Test
    void beyondTheBoundTheLongestIdleExitedProcessesAreFoldedBeforeTheRetention() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        for (int pid = 1; pid <= 10; pid++) { // ten short processes, the first idle longest
            ProcessOwner p = new ProcessOwner(new ProcessInfo(1000 + pid, pid, 0, "job", "job", "job",
                    io.podhogs.identity.CgroupIdentity.NONE));
            ledger.credit(p, 3, TrafficDelta.of(100, 1, 0, 0), pid * TICK);
        }
        ledger.markExited(p -> true);
        assertEquals(6, ledger.retireExited(1_000 * TICK, 4, 11 * TICK), "all but the bound, within the retention");
        List<AccountSnapshot> after = ledger.snapshot();
        assertEquals(5, after.size(), "four processes and their exited processes' account");
        assertEquals(java.util.Set.of(1007, 1008, 1009, 1010), after.stream().filter(AccountSnapshot::isProcess)
                .map(a -> a.pid()).collect(java.util.stream.Collectors.toSet()), "the most recent stay");
        assertEquals(new Traffic(1000, 10, 0, 0), after.stream().map(AccountSnapshot::total)
                .reduce(Traffic.NONE, Traffic::plus), "every byte kept");
    }

    @Test
    void theHistoryTakesEachCreditedByteOnceUnderItsOwnKeyEvenWhenItsAccountWasRetired() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        ledger.startRecording();
        ProcessOwner job = new ProcessOwner(new ProcessInfo(43, 8, 0, "job", "job", "job",
                io.podhogs.identity.CgroupIdentity.NONE));
        io.podhogs.identity.RemotePeer external = io.podhogs.identity.RemotePeer.of(io.podhogs.identity.RemoteClass.EXTERNAL);
        ledger.credit(curl, 3, TrafficDelta.of(100, 1, 10, 1), TICK);
        ledger.credit(job, 3, TrafficDelta.of(700, 7, 70, 7), TICK, false, external);
        List<AccountSnapshot> first = ledger.drainUnrecorded();
        assertEquals(2, first.size(), first::toString);
        assertEquals(new Traffic(700, 7, 70, 7), first.stream().filter(a -> a.key().equals(new OwnerKey(job)))
                .findFirst().orElseThrow().with(io.podhogs.identity.RemoteClass.EXTERNAL).total());
        assertEquals(List.of(), ledger.drainUnrecorded(), "nothing new: nothing drained");

        // The job's last bytes, then it exits and is folded: they stay the job's in the history,
        // and the fold itself (its 710 bytes moving to the exited bucket) is no traffic.
        ledger.credit(job, 3, TrafficDelta.of(10, 1, 0, 0), 2 * TICK);
        ledger.markExited(p -> p.equals(job));
        assertEquals(1, ledger.retireExited(TICK, 10 * TICK));
        ledger.credit(job, 3, TrafficDelta.of(5, 1, 0, 0), 11 * TICK); // late: credited to where it went
        List<AccountSnapshot> second = ledger.drainUnrecorded();
        assertEquals(2, second.size(), second::toString);
        assertEquals(new Traffic(10, 1, 0, 0), second.stream().filter(a -> a.key().equals(new OwnerKey(job)))
                .findFirst().orElseThrow().total());
        assertEquals(new Traffic(5, 1, 0, 0), second.stream().filter(a -> a.key() instanceof ExitedProcessesKey)
                .findFirst().orElseThrow().total());
    }

    @Test
    void withoutTheHistoryARetiredAccountsLastBytesGoWithItAndNothingIsKeptAside() {
        Ledger ledger = new Ledger(2_000_000_000L, TICK);
        ledger.credit(curl, 3, TrafficDelta.of(100, 1, 10, 1), TICK);
        ledger.markExited(p -> p.equals(curl));
        assertEquals(1, ledger.retireExited(TICK, 10 * TICK));
        List<AccountSnapshot> drained = ledger.drainUnrecorded();
        assertEquals(1, drained.size(), drained::toString);
        assertTrue(drained.get(0).key() instanceof ExitedProcessesKey);
        assertEquals(new Traffic(100, 1, 10, 1), drained.get(0).total());
    }
}
