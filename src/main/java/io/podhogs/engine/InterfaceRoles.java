package io.podhogs.engine;

import io.podhogs.accounting.Ledger;
import io.podhogs.attribution.FlowResolver;
import io.podhogs.attribution.FlowTable;
import io.podhogs.capture.Capture;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.NetInterface;
import io.podhogs.capture.NetInterfaces;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The host's interfaces as the engine last read them, and their roles handed on: to the resolver
 * (which interfaces are veths, bridge ports, counted at all), to the packet path, which stops
 * counting a far side for interfaces that have none (physical devices, bridges, lo), and to a
 * capture that keeps a handle per device. Also names the interfaces in the accounts, and folds the
 * traffic of those gone past the retention into one entry. Engine thread only.
 */
final class InterfaceRoles {
    /** How often at most new interfaces' flows make the interfaces be read again. */
    private static final long STALE_FLOOR_NANOS = 100_000_000L;

    private final NetInterfaces interfaces;
    private final CaptureConfig counted;
    private final long retentionNanos;
    private final FlowResolver resolver;
    private final FlowTable table;
    private final Ledger ledger;
    private final InterfaceNames names = new InterfaceNames();
    private final Set<Integer> withFlows = new HashSet<>();
    private Map<Integer, NetInterface> current = Map.of();
    private long readNanos = Long.MIN_VALUE;
    private boolean stale;
    private Capture capture;

    InterfaceRoles(NetInterfaces interfaces, CaptureConfig counted, long retentionNanos, FlowResolver resolver,
                   FlowTable table, Ledger ledger) {
        this.interfaces = interfaces;
        this.counted = counted;
        this.retentionNanos = retentionNanos;
        this.resolver = resolver;
        this.table = table;
        this.ledger = ledger;
    }

    /**
     * The capture to tell of changes from now on. It opens after the first read: the packet path
     * must know from the first frame which interfaces have no far side.
     */
    void capture(Capture opened) {
        this.capture = opened;
        if (!current.isEmpty()) {
            opened.interfacesChanged(current.values()); // refresh() hands on only what changes from now on
        }
    }

    /** A new flow on {@code ifindex}: its interface's role must be known before the flow is looked up. */
    void flowOn(int ifindex) {
        if (!current.containsKey(ifindex)) {
            stale = true; // an interface new since the last look: learn its role first
        } else if (withFlows.add(ifindex)) {
            reread(ifindex); // its first traffic: its role (bridge port ...) as it is now
        }
    }

    /** Reads the interfaces again if new ones carried flows, at most every {@value #STALE_FLOOR_NANOS} ns. */
    void refreshIfStale(long now) {
        if (stale && now - readNanos >= STALE_FLOOR_NANOS) {
            stale = false;
            refresh(now);
        }
    }

    /** Reads every interface and hands their roles on. */
    void refresh(long now) {
        readNanos = now;
        Map<Integer, NetInterface> read = new HashMap<>();
        Map<Integer, String> present = new HashMap<>();
        for (NetInterface i : interfaces.list()) {
            read.put(i.index(), i);
            present.put(i.index(), i.name());
        }
        names.present(present, now);
        if (names.expire(retentionNanos, now)) {
            ledger.foldInterfaces(i -> !names.named(i), InterfaceNames.GONE);
        }
        withFlows.retainAll(read.keySet());
        if (!read.equals(current)) {
            handOn(read); // the same interfaces as they were: nothing to hand on
        }
    }

    /** The names of the interfaces in the accounts, those gone within the retention included. */
    Map<Integer, String> names() {
        return names.copy();
    }

    /** The interfaces that exist now. */
    Set<Integer> live() {
        return Set.copyOf(current.keySet());
    }

    /** Reads one interface again: a veth is often made a bridge port after it was first seen. */
    private void reread(int ifindex) {
        NetInterface known = current.get(ifindex);
        NetInterface now = interfaces.byName(known.name()).orElse(null);
        if (now != null && now.index() == ifindex && !now.equals(known)) {
            Map<Integer, NetInterface> updated = new HashMap<>(current);
            updated.put(ifindex, now);
            handOn(updated);
        }
    }

    private void handOn(Map<Integer, NetInterface> read) {
        int maxIndex = read.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        byte[] noFarSide = new byte[maxIndex + 1];
        read.values().forEach(i -> noFarSide[i.index()] = (byte) (i.netnsBoundary() ? 0 : 1));
        current = Map.copyOf(read);
        Set<Integer> uncounted = new HashSet<>();
        read.values().forEach(i -> {
            if (!counted.counts(i)) {
                uncounted.add(i.index());
            }
        });
        resolver.interfaces(current, uncounted);
        table.noFarSide(noFarSide);
        if (capture != null) {
            capture.interfacesChanged(current.values());
        }
    }
}
