package io.podhogs.accounting;

import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.RemotePeer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Every account, keyed by what it is kept under: credited from flows (by their owners), sampled
 * every tick for rates, and copied into immutable snapshots for the exports. Accounts are kept when
 * their processes exit, so totals never go down. Engine thread only.
 */
public final class Ledger {
    /**
     * How long the credits of a retired owner still go to where its account was folded: a flow
     * keeps its owner until it is idle long enough to be forgotten (30 s by default), and a late
     * packet must not bring back an account that was just retired.
     */
    static final long FORWARD_NANOS = 10 * 60 * 1_000_000_000L;
    /** Retired accounts whose unrecorded traffic is kept under their own keys between two drains. */
    static final int MAX_RETIRED_UNRECORDED = 65_536;

    private final Map<AccountKey, Account> accounts = new HashMap<>();
    /**
     * The accounts of {@link #accounts} whose key is an {@link OwnerKey}, by that owner: every
     * tick's credits find theirs without making a key.
     */
    private final Map<Owner, Account> byOwner = new HashMap<>();
    /** Retired keys and the key their account went into, with when: kept {@link #FORWARD_NANOS}. */
    private final Map<AccountKey, Forward> forwards = new HashMap<>();
    private final WindowShape windowShape;
    private final long tickNanos;
    /**
     * The traffic retired accounts got since the history last took it, kept under their own keys
     * (a short process's last bytes stay its program's) while the history records; beyond
     * {@link #MAX_RETIRED_UNRECORDED} it goes with the account into its target's.
     */
    private final List<AccountSnapshot> retiredUnrecorded = new ArrayList<>();
    private boolean recording;

    /**
     * @param windowNanos the span of the rates
     * @param tickNanos how often {@link #sample} is called
     */
    public Ledger(long windowNanos, long tickNanos) {
        this.tickNanos = tickNanos;
        this.windowShape = WindowShape.of(windowNanos, tickNanos);
    }

    /** Adds a flow's new bytes and packets to its owner's account. */
    public void credit(Owner owner, int ifindex, TrafficDelta delta, long nowNanos) {
        credit(owner, ifindex, delta, nowNanos, false, null);
    }

    /**
     * As {@link #credit(Owner, int, TrafficDelta, long)}, marking the bytes inferred when the owner
     * was, and counting them against the flow's remote peer (null: no cluster to classify against).
     */
    public void credit(Owner owner, int ifindex, TrafficDelta delta, long nowNanos, boolean inferred, RemotePeer peer) {
        Account a = byOwner.get(owner);
        if (a == null) {
            a = account(new OwnerKey(owner), nowNanos); // a new owner, or one whose account was retired
        }
        a.credit(ifindex, delta, inferred, peer, nowNanos);
    }

    private Account account(AccountKey key, long nowNanos) {
        Account a = accounts.get(key);
        if (a != null) {
            return a;
        }
        // Followed on: the account a process went into may itself have gone into its workload's.
        AccountKey to = key;
        Forward f = forwards.get(to);
        for (int hops = 0; f != null && hops < 8 && !accounts.containsKey(to); hops++, f = forwards.get(to)) {
            to = f.to();
        }
        a = accounts.get(to);
        if (a == null) {
            a = new Account(to, windowShape, nowNanos, tickNanos);
            accounts.put(to, a);
            if (to instanceof OwnerKey o) {
                byOwner.put(o.owner(), a);
            }
        }
        return a;
    }

    private void remove(AccountKey key) {
        accounts.remove(key);
        if (key instanceof OwnerKey o) {
            byOwner.remove(o.owner());
        }
    }

    private record Forward(AccountKey to, long sinceNanos) {
    }

    /**
     * Keys no one else can have later: a process (PID and start time) and a container's exited
     * processes (its ID). A namespace's buckets are keyed by its inode, which the kernel reuses: a
     * new pod's bytes must not follow the old pod's into its workload.
     */
    private static boolean unique(AccountKey key) {
        return key.process() != null || key instanceof ExitedProcessesKey;
    }

    /**
     * Folds the accounts for which {@code into} names another key into that key's account, and
     * forgets them: a deleted pod's accounts go into its workload's retired totals, so that memory
     * stays bounded while no total above the pod ever goes down. Returns how many were retired.
     */
    public int retire(Function<AccountKey, AccountKey> into, long nowNanos) {
        List<Account> retired = new ArrayList<>();
        List<AccountKey> targets = new ArrayList<>();
        for (Account a : accounts.values()) {
            AccountKey target = into.apply(a.key());
            if (target != null) {
                retired.add(a);
                targets.add(target);
            }
        }
        forwards.values().removeIf(f -> nowNanos - f.sinceNanos() > FORWARD_NANOS);
        for (int i = 0; i < retired.size(); i++) {
            Account gone = retired.get(i);
            AccountKey key = gone.key();
            remove(key);
            Account target = account(targets.get(i), nowNanos);
            target.absorb(gone);
            if (gone.hasUnrecorded()) {
                AccountSnapshot last = gone.takeUnrecorded();
                if (recording && retiredUnrecorded.size() < MAX_RETIRED_UNRECORDED) {
                    retiredUnrecorded.add(last);
                } else {
                    target.addUnrecorded(last);
                }
            }
            if (unique(key)) {
                forwards.put(key, new Forward(targets.get(i), nowNanos));
            }
        }
        return retired.size();
    }

    /**
     * Folds every account's traffic on the interfaces {@code gone} names into the entry {@code into}
     * (see {@link Account#foldInterfaces}).
     */
    public void foldInterfaces(IntPredicate gone, int into) {
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
            ProcessOwner p = account.key().process();
            if (!account.exited() && p != null && gone.test(p)) {
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
            if (a.exited() && a.key().process() != null) {
                exited.add(a);
            }
        }
        Set<AccountKey> early = new HashSet<>();
        if (exited.size() > maxKept) {
            exited.sort(Comparator.comparingLong(Account::lastCreditNanos));
            for (Account a : exited.subList(0, exited.size() - maxKept)) {
                early.add(a.key());
            }
        }
        return retire(key -> {
            Account a = accounts.get(key);
            ProcessOwner p = key.process();
            return p != null && a.exited() && (nowNanos - a.lastCreditNanos() >= idleNanos || early.contains(key))
                    ? new ExitedProcessesKey(p.process().cgroup(), p.netns()) : null;
        }, nowNanos);
    }

    /**
     * Folds the accounts {@code into} names a target for, among those that got no bytes for
     * {@code idleNanos}, as {@link #retire} does.
     */
    public int retireIdle(Function<AccountKey, AccountKey> into, long idleNanos, long nowNanos) {
        return retire(key -> nowNanos - accounts.get(key).lastCreditNanos() >= idleNanos ? into.apply(key) : null,
                nowNanos);
    }

    public int size() {
        return accounts.size();
    }

    /**
     * From now on, the history takes what is credited: retired accounts' last traffic is kept
     * under their own keys until {@link #drainUnrecorded} takes it.
     */
    public void startRecording() {
        recording = true;
    }

    /**
     * Everything credited since the last call, once, as accounts of their own whose totals are
     * what each got meanwhile (no rates; per remote class where a cluster classified it): the
     * history's input. Each credited byte is in exactly one entry, whatever was retired meanwhile.
     */
    public List<AccountSnapshot> drainUnrecorded() {
        List<AccountSnapshot> drained = new ArrayList<>(retiredUnrecorded);
        retiredUnrecorded.clear();
        for (Account a : accounts.values()) {
            if (a.hasUnrecorded()) {
                drained.add(a.takeUnrecorded());
            }
        }
        return drained;
    }

    public List<ProcessOwner> liveProcesses() {
        List<ProcessOwner> live = new ArrayList<>();
        for (Account account : accounts.values()) {
            ProcessOwner p = account.key().process();
            if (!account.exited() && p != null) {
                live.add(p);
            }
        }
        return live;
    }

    public List<AccountSnapshot> snapshot() {
        List<AccountSnapshot> result = new ArrayList<>(accounts.size());
        for (Account a : accounts.values()) {
            result.add(new AccountSnapshot(a.key(), a.byInterface(),
                    new Traffic(a.sentBytes(), a.sentPackets(), a.receivedBytes(), a.receivedPackets()),
                    a.sentRate(), a.receivedRate(), a.exited(), a.inferredSentBytes(), a.inferredReceivedBytes(),
                    a.byRemote(), a.byRemoteClass()));
        }
        return result;
    }
}
