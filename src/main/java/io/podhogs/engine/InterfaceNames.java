package io.podhogs.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names of the interfaces whose traffic is in the accounts: those that exist, and those gone
 * for less than a retention, whose traffic still shows under their own name. After that their
 * traffic is folded into one entry, {@link #GONE}, so that a node whose pods come and go for
 * months keeps neither a name nor an account entry per veth it ever had. At most {@link #MOST_GONE}
 * are kept through their retention: where pods come and go faster than that in a retention (a
 * churn of thousands of veths in five minutes; bench/churn-memory.sh's 500 in under two minutes stay below),
 * those gone longest are folded before it, as the exited processes beyond their bound are.
 */
final class InterfaceNames {
    /** Interface index 0 is never a device's: the entry for traffic on interfaces long gone. */
    static final int GONE = 0;
    static final String GONE_NAME = "interfaces gone";
    /** The most gone interfaces named through their retention (as many as exited processes). */
    static final int MOST_GONE = 4_096;

    private final int mostGone;
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, Long> goneSinceNanos = new HashMap<>();

    InterfaceNames() {
        this(MOST_GONE);
    }

    /** @param mostGone the most gone interfaces named before their retention has passed */
    InterfaceNames(int mostGone) {
        this.mostGone = mostGone;
    }

    /** The interfaces that exist now: named, and no longer gone if they were. */
    void present(Map<Integer, String> current, long nowNanos) {
        names.putAll(current);
        goneSinceNanos.keySet().removeAll(current.keySet());
        for (Integer ifindex : names.keySet()) {
            if (ifindex != GONE && !current.containsKey(ifindex)) {
                goneSinceNanos.putIfAbsent(ifindex, nowNanos);
            }
        }
    }

    /**
     * Forgets the names of interfaces gone for at least {@code retentionNanos}, and of those gone
     * longest beyond the {@code mostGone} kept; true if any was, and the traffic on every interface
     * without a name is to be folded into {@link #GONE}, which is named from then on (that also
     * takes a late credit to an interface forgotten before).
     */
    boolean expire(long retentionNanos, long nowNanos) {
        Set<Integer> expired = new HashSet<>();
        goneSinceNanos.forEach((ifindex, since) -> {
            if (nowNanos - since >= retentionNanos) {
                expired.add(ifindex);
            }
        });
        int beyond = goneSinceNanos.size() - expired.size() - mostGone;
        if (beyond > 0) {
            goneSinceNanos.entrySet().stream().filter(e -> !expired.contains(e.getKey()))
                    .sorted(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .limit(beyond).forEach(e -> expired.add(e.getKey()));
        }
        if (!expired.isEmpty()) {
            goneSinceNanos.keySet().removeAll(expired);
            names.keySet().removeAll(expired);
            names.put(GONE, GONE_NAME);
        }
        return !expired.isEmpty();
    }

    boolean named(int ifindex) {
        return names.containsKey(ifindex);
    }

    Map<Integer, String> copy() {
        return Map.copyOf(names);
    }
}
