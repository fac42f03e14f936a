package io.podhogs.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names of the interfaces whose traffic is in the accounts: those that exist, and those gone
 * for less than a retention, whose traffic still shows under their own name. After that their
 * traffic is folded into one entry, {@link #GONE}, so that a node whose pods come and go for
 * months keeps neither a name nor an account entry per veth it ever had.
 */
final class InterfaceNames {
    /** Interface index 0 is never a device's: the entry for traffic on interfaces long gone. */
    static final int GONE = 0;
    static final String GONE_NAME = "interfaces gone";

    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, Long> goneSinceNanos = new HashMap<>();

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
     * Forgets the names of interfaces gone for at least {@code retentionNanos}; true if any was,
     * and the traffic on every interface without a name is to be folded into {@link #GONE}, which
     * is named from then on (that also takes a late credit to an interface forgotten before).
     */
    boolean expire(long retentionNanos, long nowNanos) {
        Set<Integer> expired = new HashSet<>();
        goneSinceNanos.forEach((ifindex, since) -> {
            if (nowNanos - since >= retentionNanos) {
                expired.add(ifindex);
            }
        });
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
