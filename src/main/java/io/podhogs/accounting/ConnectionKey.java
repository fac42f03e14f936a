package io.podhogs.accounting;

import io.podhogs.attribution.FlowKey;
import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.RemotePeer;

/**
 * One connection of an owner (--by connection, the top view's connections), from its socket's side;
 * or, with no flow, the rest of the owner's bytes that no listed connection holds: connections
 * closed and forgotten, not TCP or UDP, or beyond the engine's listed busiest. With that row an
 * owner's connection rows add up to its account.
 *
 * @param flow the connection's 5-tuple on its interface; null for the rest row
 * @param remoteClass where its other end is (external, pod ...), empty without a cluster
 * @param peerName the cluster's name of its other end (namespace/pod, namespace/Service, node),
 *     empty where the cluster names none
 * @param inferred its owner was inferred (its socket was gone before it could be looked up)
 */
public record ConnectionKey(FlowKey flow, Owner owner, String remoteClass, String peerName, boolean inferred)
        implements AccountKey {
    /** One listed connection's row. */
    public static ConnectionKey of(FlowKey flow, Owner owner, RemotePeer peer, boolean inferred) {
        return new ConnectionKey(flow, owner, peer == null ? "" : peer.remoteClass().label(),
                peer == null ? "" : peer.qualifiedName(), inferred);
    }

    /** The rest row's name. */
    public static final String REST = "other connections";

    /** The rest of {@code owner}'s bytes. */
    public static ConnectionKey rest(Owner owner) {
        return new ConnectionKey(null, owner, "", "", false);
    }

    /** "tcp 10.0.0.1:40000 <-> 10.0.0.2:80", or {@link #REST}. */
    @Override
    public String name() {
        return flow == null ? REST : protocol() + " " + local() + " <-> " + remote();
    }

    @Override
    public String program() {
        return owner.name();
    }

    /** "tcp", "udp"; empty for the rest row. */
    public String protocol() {
        if (flow == null) {
            return "";
        }
        return switch (flow.protocol()) {
            case ParsedPacket.TCP -> "tcp";
            case ParsedPacket.UDP -> "udp";
            default -> Integer.toString(flow.protocol());
        };
    }

    public String local() {
        return flow == null ? "" : Addresses.endpoint(flow.localHi(), flow.localLo(), flow.localPort());
    }

    public String remote() {
        return flow == null ? "" : Addresses.endpoint(flow.remoteHi(), flow.remoteLo(), flow.remotePort());
    }

    @Override
    public long netns() {
        return owner.netns();
    }

    @Override
    public AccountKind kind() {
        return AccountKind.CONNECTION;
    }

    @Override
    public ProcessOwner process() {
        return OwnerKey.processOf(owner);
    }

    @Override
    public CgroupIdentity cgroup() {
        return OwnerKey.cgroupOf(owner);
    }
}
