package io.podhogs.identity;

import io.podhogs.capture.Addresses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Arrays;

/**
 * What the cluster says about remote addresses, at one moment: immutable, published by the
 * Kubernetes identity provider and read by the engine once per flow (never per packet). Exact
 * addresses (pods, nodes, Service cluster IPs) win over ranges, longer ranges over shorter ones;
 * an address nothing matches is {@link RemoteClass#EXTERNAL}.
 *
 * <p>{@link #NONE} (no cluster) classifies nothing: without Kubernetes accounts keep no
 * breakdown by remote class.
 */
public final class RemoteClassifier {
    public static final RemoteClassifier NONE = new RemoteClassifier(0, new long[0], new RemotePeer[0],
            List.of(), false);

    private static final RemotePeer NODE = RemotePeer.of(RemoteClass.NODE);
    private static final RemotePeer EXTERNAL = RemotePeer.of(RemoteClass.EXTERNAL);
    private static final RemotePeer LINK_LOCAL = RemotePeer.of(RemoteClass.LINK_LOCAL);

    private final long version;
    // Open addressing: keys[2i], keys[2i+1] = hi, lo; peers[i] null for an empty slot.
    private final long[] keys;
    private final RemotePeer[] peers;
    private final List<Range> ranges;
    private final boolean active;

    private record Range(Cidr cidr, RemotePeer peer) {
    }

    private RemoteClassifier(long version, long[] keys, RemotePeer[] peers, List<Range> ranges,
                             boolean active) {
        this.version = version;
        this.keys = keys;
        this.peers = peers;
        this.ranges = ranges;
        this.active = active;
    }

    /** Changes with every new classifier, so that a flow classified by an older one is looked at again. */
    public long version() {
        return version;
    }

    /** False for {@link #NONE}: there is no cluster to classify against. */
    public boolean active() {
        return active;
    }

    /**
     * The other end of a flow between a local and a remote address: a flow to a multicast or
     * broadcast address received here (IGMP reports flooded on a bridge) stays on the link whoever
     * sent it.
     */
    public RemotePeer classify(long localHi, long localLo, long remoteHi, long remoteLo) {
        if (active && isGroup(localHi, localLo)) {
            return LINK_LOCAL;
        }
        return classify(remoteHi, remoteLo);
    }

    private static boolean isGroup(long hi, long lo) {
        if (Addresses.isV4Mapped(hi, lo)) {
            int v4 = (int) lo;
            return (v4 >>> 28) == 0xE || v4 == -1;
        }
        return (hi >>> 56) == 0xFF;
    }

    /** The peer at an address (128-bit form, see capture.Addresses), or null without a cluster. */
    public RemotePeer classify(long hi, long lo) {
        if (!active) {
            return null;
        }
        if (peers.length > 0) {
            int mask = peers.length - 1;
            for (int i = hash(hi, lo) & mask; peers[i] != null; i = (i + 1) & mask) {
                if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
                    return peers[i];
                }
            }
        }
        for (Range r : ranges) {
            if (r.cidr().contains(hi, lo)) {
                return r.peer();
            }
        }
        if (Addresses.isV4Mapped(hi, lo)) {
            int v4 = (int) lo;
            if ((v4 >>> 24) == 127) {
                return NODE; // loopback: this node
            }
            if ((v4 >>> 16) == 0xA9FE || (v4 >>> 28) == 0xE || v4 == -1 || v4 == 0) {
                return LINK_LOCAL; // 169.254/16, 224/4 multicast, broadcast, unspecified
            }
            return EXTERNAL;
        }
        if (hi == 0 && lo == 1) {
            return NODE;
        }
        if ((hi >>> 54) == 0x3FA || (hi >>> 56) == 0xFF || (hi == 0 && lo == 0)) {
            return LINK_LOCAL; // fe80::/10, ff00::/8 multicast, unspecified
        }
        return EXTERNAL;
    }

    /** The same addresses, peers and ranges (whatever the version). */
    public boolean sameAs(RemoteClassifier other) {
        return active == other.active && Arrays.equals(keys, other.keys)
                && Arrays.equals(peers, other.peers) && ranges.equals(other.ranges);
    }

    private static int hash(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32));
    }

    public static Builder builder(long version) {
        return new Builder(version);
    }

    /** Collects addresses and ranges; the first peer given for an address is kept. */
    public static final class Builder {
        private final long version;
        private final List<long[]> addresses = new ArrayList<>();
        private final List<RemotePeer> addressPeers = new ArrayList<>();
        private final List<Range> ranges = new ArrayList<>();

        private Builder(long version) {
            this.version = version;
        }

        /** An exact address; an unparsable one (an API object's typo) is ignored. */
        public Builder address(String literal, RemotePeer peer) {
            try {
                Cidr single = Cidr.parse(literal + (literal.contains(":") ? "/128" : "/32"));
                addresses.add(new long[] {single.hi(), single.lo()});
                addressPeers.add(peer);
            } catch (IllegalArgumentException e) {
                // not an address: nothing to classify by
            }
            return this;
        }

        public Builder range(Cidr cidr, RemotePeer peer) {
            ranges.add(new Range(cidr, peer));
            return this;
        }

        public RemoteClassifier build() {
            int capacity = Integer.highestOneBit(Math.max(1, addresses.size() * 2 - 1)) * 2;
            long[] keys = new long[capacity * 2];
            RemotePeer[] peers = new RemotePeer[addresses.isEmpty() ? 0 : capacity];
            for (int n = 0; n < addresses.size(); n++) {
                long hi = addresses.get(n)[0];
                long lo = addresses.get(n)[1];
                int mask = capacity - 1;
                int i = hash(hi, lo) & mask;
                while (peers[i] != null && !(keys[2 * i] == hi && keys[2 * i + 1] == lo)) {
                    i = (i + 1) & mask;
                }
                if (peers[i] == null) {
                    keys[2 * i] = hi;
                    keys[2 * i + 1] = lo;
                    peers[i] = addressPeers.get(n);
                }
            }
            List<Range> sorted = new ArrayList<>(ranges);
            // Longest prefix first: a node's /24 inside the cluster's /16 decides.
            sorted.sort(Comparator.comparingInt((Range r) -> r.cidr().prefixLength()).reversed());
            return new RemoteClassifier(version, keys, peers, List.copyOf(sorted), true);
        }
    }
}
