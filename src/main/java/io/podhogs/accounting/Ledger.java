package io.podhogs.accounting;

import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.RemotePeer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every account, keyed by owner: credited from flows, sampled every tick for rates, and copied into
 * immutable snapshots for the exports. Accounts are kept when their processes exit, so totals never
 * go down. Engine thread only.
 */
public final class Ledger {
    /**
     * How long the credits of a retired owner still go to where its account was folded: a flow
     * keeps its owner until it is idle long enough to be forgotten (30 s by default), and a late
     * packet must not bring back an account that was just retired.
     */
    static final long FORWARD_NANOS = 10 * 60 * 1_000_000_000L;

    private final Map<Owner, Account> accounts = new HashMap<>();
    /** Retired owners and the owner their account went into, with when: kept {@link #FORWARD_NANOS}. */
    private final Map<Owner, Forward> forwards = new HashMap<>();
    private final WindowShape windowShape;
    private final long tickNanos;

    /**
     * @param windowNanos the span of the rates
     * @param tickNanos how often {@link #sample} is called
     */
    public Ledger(long windowNanos, long tickNanos) {
        this.tickNanos = tickNanos;
        this.windowShape = WindowShape.of(windowNanos, tickNanos);
    }

    /** Adds a flow's new bytes and packets to its owner's account. */
    public void credit(Owner owner, int ifindex, long[] delta, long nowNanos) {
        credit(owner, ifindex, delta, nowNanos, false, null);
    }

    /**
     * As {@link #credit(Owner, int, long[], long)}, marking the bytes inferred when the owner was,
     * and counting them against the flow's remote peer (null: no cluster to classify against).
     */
    public void credit(Owner owner, int ifindex, long[] delta, long nowNanos, boolean inferred, RemotePeer peer) {
        account(owner, nowNanos).credit(ifindex, delta[0], delta[1], delta[2], delta[3], inferred, peer, nowNanos);
    }

    private Account account(Owner owner, long nowNanos) {
        Account a = accounts.get(owner);
        if (a != null) {
            return a;
        }
        // Followed on: the account a process went into may itself have gone into its workload's.
        Owner to = owner;
        Forward f = forwards.get(to);
        for (int hops = 0; f != null && hops < 8 && !accounts.containsKey(to); hops++, f = forwards.get(to)) {
            to = f.to();
        }
        return accounts.computeIfAbsent(to, o -> new Account(o, windowShape, nowNanos, tickNanos));
    }

    private record Forward(Owner to, long sinceNanos) {
    }

    /**
     * Owners no one else can be later: a process (PID and start time) and a container's exited
     * processes (its ID). A namespace's buckets are keyed by its inode, which the kernel reuses: a
     * new pod's bytes must not follow the old pod's into its workload.
     */
    private static boolean unique(Owner owner) {
        return owner instanceof ProcessOwner || owner instanceof io.podhogs.attribution.ExitedProcessesOwner;
    }

    /**
     * Folds the accounts for which {@code into} names another owner into that owner's account, and
     * forgets them: a deleted pod's accounts go into its workload's retired totals, so that memory
     * stays bounded while no total above the pod ever goes down. Returns how many were retired.
     */
    public int retire(Function<Owner, Owner> into, long nowNanos) {
        List<Account> retired = new ArrayList<>();
        List<Owner> targets = new ArrayList<>();
        for (Account a : accounts.values()) {
            Owner target = into.apply(a.owner());
            if (target != null) {
                retired.add(a);
                targets.add(target);
            }
        }
        forwards.values().removeIf(f -> nowNanos - f.sinceNanos() > FORWARD_NANOS);
        for (int i = 0; i < retired.size(); i++) {
            Owner owner = retired.get(i).owner();
            accounts.remove(owner);
            account(targets.get(i), nowNanos).absorb(retired.get(i));
            if (unique(owner)) {
                forwards.put(owner, new Forward(targets.get(i), nowNanos));
            }
        }
        return retired.size();
    }

    /**
     * Folds every account's traffic on the interfaces {@code gone} names into the entry {@code into}
     * (see {@link Account#foldInterfaces}).
     */
    public void foldInterfaces(java.util.function.IntPredicate gone, int into) {
        for (Account account : accounts.values()) {
            account.foldInterfaces(gone, into);
        }
    }

    public void sample(long nowNanos) {
        for (Account account : accounts.values()) {
            account.sample(nowNanos);
        }
    }

    /** Marks the process accounts for which {@code gone} says the process has exited. */
    public void markExited(Predicate<ProcessOwner> gone) {
        for (Account account : accounts.values()) {
            if (!account.exited() && account.owner() instanceof ProcessOwner p && gone.test(p)) {
                account.markExited();
            }
        }
    }

    /**
     * Folds the accounts of processes that exited and got no bytes for {@code idleNanos} into their
     * container's (or the host's) exited processes: memory bounded under churn, totals kept.
     */
    public int retireExited(long idleNanos, long nowNanos) {
        return retireExited(idleNanos, Integer.MAX_VALUE, nowNanos);
    }

    /**
     * As {@link #retireExited(long, long)}, and beyond {@code maxKept} exited processes' accounts
     * the longest idle are folded at once, whatever their idle time: a burst of short processes
     * (a fork bomb, a cron storm) must not hold an account each for the whole retention.
     */
    public int retireExited(long idleNanos, int maxKept, long nowNanos) {
        List<Account> exited = new ArrayList<>();
        for (Account a : accounts.values()) {
            if (a.exited() && a.owner() instanceof ProcessOwner) {
                exited.add(a);
            }
        }
        java.util.Set<Owner> early = new java.util.HashSet<>();
        if (exited.size() > maxKept) {
            exited.sort(java.util.Comparator.comparingLong(Account::lastCreditNanos));
            for (Account a : exited.subList(0, exited.size() - maxKept)) {
                early.add(a.owner());
            }
        }
        return retire(owner -> {
            Account a = accounts.get(owner);
            return owner instanceof ProcessOwner p && a.exited()
                    && (nowNanos - a.lastCreditNanos() >= idleNanos || early.contains(owner))
                    ? new io.podhogs.attribution.ExitedProcessesOwner(p.process().cgroup(), p.netns()) : null;
        }, nowNanos);
    }

    /**
     * Folds the accounts {@code into} names a target for, among those that got no bytes for
     * {@code idleNanos}, as {@link #retire} does.
     */
    public int retireIdle(Function<Owner, Owner> into, long idleNanos, long nowNanos) {
        return retire(owner -> nowNanos - accounts.get(owner).lastCreditNanos() >= idleNanos ? into.apply(owner) : null,
                nowNanos);
    }

    public int size() {
        return accounts.size();
    }

    public List<ProcessOwner> liveProcesses() {
        List<ProcessOwner> live = new ArrayList<>();
        for (Account account : accounts.values()) {
            if (!account.exited() && account.owner() instanceof ProcessOwner p) {
                live.add(p);
            }
        }
        return live;
    }

    public List<AccountSnapshot> snapshot() {
        List<AccountSnapshot> result = new ArrayList<>(accounts.size());
        for (Account a : accounts.values()) {
            result.add(new AccountSnapshot(a.owner(), a.byInterface(),
                    new Traffic(a.sentBytes(), a.sentPackets(), a.receivedBytes(), a.receivedPackets()),
                    a.sentRate(), a.receivedRate(), a.exited(), a.inferredSentBytes(), a.inferredReceivedBytes(),
                    a.byRemote(), a.byRemoteClass()));
        }
        return result;
    }
}
