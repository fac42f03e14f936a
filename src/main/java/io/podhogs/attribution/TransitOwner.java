package io.podhogs.attribution;

/**
 * Bytes an interface carried for others, already counted for a namespace's socket where they
 * crossed its boundary: frames on bridge ports and bond slaves, frames routed or translated through
 * the host, and tunnel packets. Kept so that every device's accounts add up to its counters, never
 * shown as anyone's traffic.
 *
 * @param netns the side they are on: 0 for the host's, a namespace's inode for a far side
 */
public record TransitOwner(String name, long netns) implements Owner {
    public static final TransitOwner FORWARDED = new TransitOwner("forwarded", 0);
    /**
     * Tunnel packets (VXLAN, Geneve, WireGuard, IPIP, GRE, IPsec) that carry traffic between nodes:
     * their payload is counted where it leaves or enters a namespace, not again as the tunnel's.
     */
    public static final TransitOwner ENCAPSULATED = new TransitOwner("encapsulated", 0);

    /** Tunnel packets on the far side of a veth: the namespace behind it is a tunnel end. */
    public static TransitOwner encapsulated(long netns) {
        return netns == 0 ? ENCAPSULATED : new TransitOwner("encapsulated [net:" + netns + "]", netns);
    }
}
