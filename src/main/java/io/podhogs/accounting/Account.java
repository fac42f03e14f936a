package io.podhogs.accounting;

import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Cumulative counters of one account (a process, an unknown bucket, exited processes ...) and its
 * rate window. Counters only ever grow, also after the process exits. Engine thread only.
 */
final class Account {
    private final AccountKey key;
    private final RateWindow window;
    /** Per interface index: sent bytes, sent packets, received bytes, received packets. */
    private final Map<Integer, long[]> byInterface = new LinkedHashMap<>();
    /**
     * Per remote peer, the same four counters: empty without a cluster to classify against. Named
     * peers beyond {@value #NAMED_PEERS} count under their class only, so that an account talking to
     * every pod of a big cluster stays small.
     */
    private final Map<RemotePeer, long[]> byRemote = new LinkedHashMap<>();
    private int namedPeers;
    /** Per remote class: the four counters, and a rate window once the class has had traffic. */
    private final long[][] byClass = new long[RemoteClass.values().length][];
    private final RateWindow[] classWindows = new RateWindow[RemoteClass.values().length];
    private final WindowShape windowShape;
    private final long tickNanos;
    private long sentBytes;
    private long sentPackets;
    private long receivedBytes;
    private long receivedPackets;
    private long inferredSentBytes;
    private long inferredReceivedBytes;
    private boolean exited;
    private long lastCreditNanos;
    /**
     * What was credited since the history last took it (see {@link Ledger#drainUnrecorded}): the
     * four counters in total and per remote class (null where none), as {@link TrafficDelta#addTo} lays them out.
     */
    private final long[] unrecorded = new long[4];
    private final long[][] unrecordedByClass = new long[RemoteClass.values().length][];

    static final int NAMED_PEERS = 32;

    Account(AccountKey key, WindowShape windowShape, long nowNanos, long tickNanos) {
        this.key = key;
        this.windowShape = windowShape;
        this.tickNanos = tickNanos;
        // The first sample stands one tick back, so a new account shows a rate at its first refresh.
        this.window = new RateWindow(windowShape, nowNanos - tickNanos);
        this.lastCreditNanos = nowNanos;
    }

    /** @param peer the flow's other end, or null when there is no cluster to say */
    void credit(int ifindex, TrafficDelta delta, boolean inferred, RemotePeer peer, long nowNanos) {
        lastCreditNanos = nowNanos;
        if (inferred) {
            inferredSentBytes += delta.sentBytes();
            inferredReceivedBytes += delta.receivedBytes();
        }
        sentBytes += delta.sentBytes();
        sentPackets += delta.sentPackets();
        receivedBytes += delta.receivedBytes();
        receivedPackets += delta.receivedPackets();
        delta.addTo(byInterface.computeIfAbsent(ifindex, i -> new long[4]), 0);
        if (peer != null) {
            long[] to = byRemote.get(peer);
            if (to == null) {
                RemotePeer key = peer;
                if (peer.named() && namedPeers >= NAMED_PEERS) {
                    key = RemotePeer.of(peer.remoteClass());
                } else if (peer.named()) {
                    namedPeers++;
                }
                to = byRemote.computeIfAbsent(key, k -> new long[4]);
            }
            delta.addTo(to, 0);
            delta.addTo(classCounters(peer.remoteClass()), 0);
            int c = peer.remoteClass().ordinal();
            if (unrecordedByClass[c] == null) {
                unrecordedByClass[c] = new long[4];
            }
            delta.addTo(unrecordedByClass[c], 0);
        }
        delta.addTo(unrecorded, 0);
    }

    /** Whether anything was credited since the history last took it. */
    boolean hasUnrecorded() {
        return unrecorded[0] != 0 || unrecorded[1] != 0 || unrecorded[2] != 0 || unrecorded[3] != 0;
    }

    /** What was credited since the history last took it, as an account of its own (no rates), and starts over. */
    AccountSnapshot takeUnrecorded() {
        Map<RemoteClass, RemoteClassTraffic> byClass = Map.of();
        for (RemoteClass c : RemoteClass.values()) {
            long[] t = unrecordedByClass[c.ordinal()];
            if (t != null) {
                if (byClass.isEmpty()) {
                    byClass = new EnumMap<>(RemoteClass.class);
                }
                byClass.put(c, new RemoteClassTraffic(new Traffic(t[0], t[1], t[2], t[3]), 0, 0));
                unrecordedByClass[c.ordinal()] = null;
            }
        }
        AccountSnapshot taken = new AccountSnapshot(key, Map.of(),
                new Traffic(unrecorded[0], unrecorded[1], unrecorded[2], unrecorded[3]), 0, 0, exited, 0, 0, Map.of(),
                byClass);
        Arrays.fill(unrecorded, 0);
        return taken;
    }

    /** Takes in a retired account's unrecorded traffic, when the history could not keep it under its own key. */
    void addUnrecorded(AccountSnapshot taken) {
        taken.total().addTo(unrecorded);
        taken.byRemoteClass().forEach((c, t) -> {
            if (unrecordedByClass[c.ordinal()] == null) {
                unrecordedByClass[c.ordinal()] = new long[4];
            }
            t.total().addTo(unrecordedByClass[c.ordinal()]);
        });
    }

    private long[] classCounters(RemoteClass c) {
        long[] counters = byClass[c.ordinal()];
        if (counters == null) {
            counters = byClass[c.ordinal()] = new long[4];
            // Its window starts at the account's last sample, as a new account's starts a tick back:
            // a class's first bytes are a rate at once.
            classWindows[c.ordinal()] = new RateWindow(windowShape, window.newestTime());
        }
        return counters;
    }

    /**
     * Moves the traffic on the interfaces {@code gone} names into the entry {@code into}: a long-lived
     * account (a node process, the unknown and forwarded buckets) would otherwise keep an entry for
     * every veth that ever carried its bytes. Totals do not change.
     */
    void foldInterfaces(IntPredicate gone, int into) {
        long[] folded = null;
        for (var it = byInterface.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, long[]> e = it.next();
            if (e.getKey() != into && gone.test(e.getKey())) {
                if (folded == null) {
                    folded = new long[4];
                }
                add(folded, e.getValue());
                it.remove();
            }
        }
        if (folded != null) {
            add(byInterface.computeIfAbsent(into, k -> new long[4]), folded);
        }
    }

    /**
     * Takes in another account's counters (a deleted pod's, into its workload's retired totals).
     * The rate window moves with them, so that what was counted long ago shows as no rate now.
     */
    void absorb(Account other) {
        other.byInterface.forEach((i, t) -> add(byInterface.computeIfAbsent(i, k -> new long[4]), t));
        other.byRemote.forEach((peer, t) -> add(byRemote.computeIfAbsent(RemotePeer.of(peer.remoteClass()),
                k -> new long[4]), t));
        for (RemoteClass c : RemoteClass.values()) {
            long[] theirs = other.byClass[c.ordinal()];
            if (theirs != null) {
                add(classCounters(c), theirs);
                classWindows[c.ordinal()].shift(theirs[0], theirs[2]);
            }
        }
        sentBytes += other.sentBytes;
        sentPackets += other.sentPackets;
        receivedBytes += other.receivedBytes;
        receivedPackets += other.receivedPackets;
        inferredSentBytes += other.inferredSentBytes;
        inferredReceivedBytes += other.inferredReceivedBytes;
        window.shift(other.sentBytes, other.receivedBytes);
    }

    private static void add(long[] to, long[] from) {
        for (int i = 0; i < 4; i++) {
            to[i] += from[i];
        }
    }

    void sample(long nowNanos) {
        window.add(nowNanos, sentBytes, receivedBytes);
        for (int c = 0; c < byClass.length; c++) {
            if (byClass[c] != null) {
                classWindows[c].add(nowNanos, byClass[c][0], byClass[c][2]);
            }
        }
    }

    /** Traffic and rates per remote class, for the classes that had any. */
    Map<RemoteClass, RemoteClassTraffic> byRemoteClass() {
        if (byRemote.isEmpty()) {
            return Map.of(); // no cluster, or no classified bytes yet
        }
        Map<RemoteClass, RemoteClassTraffic> result = new EnumMap<>(RemoteClass.class);
        for (RemoteClass c : RemoteClass.values()) {
            long[] t = byClass[c.ordinal()];
            if (t != null) {
                RateWindow w = classWindows[c.ordinal()];
                result.put(c, new RemoteClassTraffic(new Traffic(t[0], t[1], t[2], t[3]), w.sentRate(), w.receivedRate()));
            }
        }
        return result;
    }

    /** When bytes last came (the account's creation, before any). */
    long lastCreditNanos() {
        return lastCreditNanos;
    }

    void markExited() {
        exited = true;
    }

    AccountKey key() {
        return key;
    }

    boolean exited() {
        return exited;
    }

    /** The traffic on each interface, in the order the interfaces were first seen. */
    Map<Integer, Traffic> byInterface() {
        Map<Integer, Traffic> copy = new LinkedHashMap<>();
        byInterface.forEach((i, t) -> copy.put(i, new Traffic(t[0], t[1], t[2], t[3])));
        return Collections.unmodifiableMap(copy);
    }

    /** The traffic with each remote peer, in the order the peers were first seen. */
    Map<RemotePeer, Traffic> byRemote() {
        if (byRemote.isEmpty()) {
            return Map.of();
        }
        Map<RemotePeer, Traffic> copy = new LinkedHashMap<>();
        byRemote.forEach((p, t) -> copy.put(p, new Traffic(t[0], t[1], t[2], t[3])));
        return Collections.unmodifiableMap(copy);
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

    /** Of the bytes, those of flows whose owner was inferred (their sockets were gone). */
    long inferredSentBytes() {
        return inferredSentBytes;
    }

    long inferredReceivedBytes() {
        return inferredReceivedBytes;
    }

    double sentRate() {
        return window.sentRate();
    }

    double receivedRate() {
        return window.receivedRate();
    }
}
