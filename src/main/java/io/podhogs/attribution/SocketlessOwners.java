package io.podhogs.attribution;

import io.podhogs.capture.NetInterface;
import io.podhogs.capture.ParsedPacket;

/**
 * The owners a flow gets without a socket of its own, by docs/accounting.md: nobody's (the far side of
 * a device that has none, an interface the user left out), forwarded (routed or bridged through
 * the host, or translated by its NAT), encapsulated (a tunnel's), or its side's unknown bucket.
 * Engine thread only.
 */
final class SocketlessOwners {
    private final VethNamespaces veths;
    private final NamespaceSockets sockets;
    private final ConntrackReader conntrack;

    SocketlessOwners(VethNamespaces veths, NamespaceSockets sockets, ConntrackReader conntrack) {
        this.veths = veths;
        this.sockets = sockets;
        this.conntrack = conntrack;
    }

    /** TCP and UDP with ports, addressed to this host: the flows a socket may own. */
    static boolean socketKind(FlowKey key) {
        return (key.protocol() == ParsedPacket.TCP || key.protocol() == ParsedPacket.UDP)
                && !key.has(FlowKey.NO_PORTS) && !key.has(FlowKey.FOREIGN);
    }

    /**
     * Settles what the interface alone decides: the far side of a device that has none is nobody's;
     * the host side of a bridge port or bond slave is forwarded (the host's own frames are counted
     * on the master), and so are frames a device sent from another's link address: a macvlan's on
     * its lower device, counted for their sockets on the macvlan. False when it decides nothing.
     */
    boolean settledByInterface(TrackedFlow flow) {
        FlowKey key = flow.key();
        NetInterface device = veths.device(key.ifindex());
        if (device == null) {
            return false;
        }
        if (veths.uncounted(key.ifindex()) || key.has(FlowKey.PEER) && !device.netnsBoundary()) {
            flow.markUncounted();
            return true;
        }
        if (!key.has(FlowKey.PEER) && (device.enslaved() || relayed(flow, device))) {
            flow.owner(TransitOwner.FORWARDED);
            return true;
        }
        return false;
    }

    private static boolean relayed(TrackedFlow flow, NetInterface device) {
        return flow.linkSource() >= 0 && device.mac() > 0 && flow.linkSource() != device.mac();
    }

    /**
     * Settles traffic no socket can own: the host's goes to forwarded or unknown at once; a far
     * side once its namespace is known (false until then).
     */
    boolean settledWithoutSocket(TrackedFlow flow) {
        FlowKey key = flow.key();
        if (!key.has(FlowKey.PEER)) {
            flow.owner(tunnelProtocol(key.protocol()) ? TransitOwner.ENCAPSULATED
                    : passingThrough(key) ? TransitOwner.FORWARDED : UnknownOwner.of(key.protocol()));
            return true;
        }
        long netns = veths.netnsOf(flow);
        if (netns != VethNamespaces.UNKNOWN) {
            flow.owner(tunnelProtocol(key.protocol()) ? TransitOwner.encapsulated(netns)
                    : UnknownOwner.of(key.protocol(), netns));
            return true;
        }
        return false;
    }

    /** IPIP, IPv6 in IP, GRE and IPsec ESP: tunnels in the IP layer, which no socket owns. */
    private static boolean tunnelProtocol(int protocol) {
        return protocol == 4 || protocol == 41 || protocol == 47 || protocol == 50;
    }

    /** A host-side flow whose local end is no address of the host: routed or bridged through it. */
    private boolean passingThrough(FlowKey key) {
        if (key.protocol() == FlowKey.NON_IP) {
            return false;
        }
        if (key.has(FlowKey.FOREIGN)) {
            return true;
        }
        return !sockets.hostLocal().local(key);
    }

    /**
     * For a flow whose socket was not found: encapsulated when its local UDP port is a kernel
     * tunnel's of its namespace, forwarded when the host translated its connection (conntrack),
     * else null.
     */
    Owner transit(TrackedFlow flow) {
        FlowKey key = flow.key();
        long netns = veths.tablesOf(flow);
        if (netns == VethNamespaces.UNKNOWN) {
            return null;
        }
        NamespaceSockets.Tables s = sockets.of(netns);
        // Decided only on reads made after the flow began, like a socket.
        long first = flow.firstSeenNanos();
        if (key.protocol() == ParsedPacket.UDP && s.read(ParsedPacket.UDP).startedSince(first)
                && s.table(ParsedPacket.UDP).kernelTunnel(key)) {
            return TransitOwner.encapsulated(veths.sideOf(flow));
        }
        if (!key.has(FlowKey.PEER) && conntrack.readSince(first) && conntrack.table().translated(key)) {
            return TransitOwner.FORWARDED; // NAT: the host's address, another's connection
        }
        return null;
    }

    /**
     * Where a flow goes whose owner was not found: a host-side one to forwarded when its local end
     * is no address of the host, else to its side's unknown bucket.
     */
    Owner unfound(TrackedFlow flow) {
        FlowKey key = flow.key();
        if (!key.has(FlowKey.PEER)) {
            return passingThrough(key) ? TransitOwner.FORWARDED : UnknownOwner.of(key.protocol());
        }
        long netns = veths.netnsOf(flow);
        return UnknownOwner.of(key.protocol(), netns == VethNamespaces.UNKNOWN ? -1 : netns);
    }
}
