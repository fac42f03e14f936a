package io.podhogs.names;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names DNS answers gave addresses, as the interface they were answered on saw them (a pod's
 * veth: its network namespace's resolver; the host's devices: the host's), and under any interface
 * for the connections of another (a host process asks its stub resolver on loopback and connects on
 * eth0). Bounded: the least recently used go first, counted. A name is kept past its record's time
 * to live: a connection opened while it held keeps its name for as long as it lasts.
 */
final class NameTable {
    /** Addresses named at most: twice as many entries (by interface and under any), ~150 bytes each. */
    static final int MAX = 16_384;

    /** ifindex 0: under any interface. */
    private record Key(int ifindex, long hi, long lo) {
    }

    /** A name, and the time to live its answer gave (what an API shows; not an expiry here). */
    record Name(String name, long ttlSeconds) {
    }

    private final int max;
    private final Map<Key, Name> names;
    private long evicted;

    NameTable(int max) {
        this.max = max;
        this.names = new LinkedHashMap<>(256, 0.75f, true);
    }

    synchronized void learn(int ifindex, long hi, long lo, String name, long ttlSeconds) {
        Name n = new Name(name, ttlSeconds);
        put(new Key(ifindex, hi, lo), n);
        put(new Key(0, hi, lo), n);
    }

    private void put(Key key, Name name) {
        names.put(key, name);
        if (names.size() > 2 * max) {
            var eldest = names.keySet().iterator();
            eldest.next();
            eldest.remove();
            evicted++;
        }
    }

    /** The name of {@code hi/lo} as seen on {@code ifindex}, else under any interface; null if none. */
    synchronized Name name(int ifindex, long hi, long lo) {
        Name n = names.get(new Key(ifindex, hi, lo));
        Name any = names.get(new Key(0, hi, lo)); // used too: an address's two entries go together
        return n != null ? n : any;
    }

    synchronized int size() {
        return names.size();
    }

    /** Entries let go at the bound. */
    synchronized long evicted() {
        return evicted;
    }
}
