package io.podhogs.attribution;

import io.podhogs.capture.ParsedPacket;

/**
 * Traffic no socket could be found for, kept per network namespace. nethogs's names ("unknown
 * TCP", "unknown UDP") are kept for the host's namespace so existing parsers keep working; other
 * namespaces add their inode ("unknown TCP [net:4026532301]"). Everything that is neither TCP nor
 * UDP is "unknown other" (ICMP, ARP, IPv6 neighbour discovery, fragments whose first fragment was
 * not seen ...).
 *
 * @param netns the namespace's inode, 0 for the host's own
 */
public record UnknownOwner(String name, long netns) implements Owner {
    public static final UnknownOwner TCP = new UnknownOwner("unknown TCP", 0);
    public static final UnknownOwner UDP = new UnknownOwner("unknown UDP", 0);
    public static final UnknownOwner OTHER = new UnknownOwner("unknown other", 0);
    /**
     * Traffic of flows beyond the flow table's bound (docs/memory.md): counted on its interface's
     * side, the host's or a namespace's, but no flow of its own was kept to look its socket up.
     */
    public static final UnknownOwner UNTRACKED = new UnknownOwner("untracked", 0);
    /**
     * The folded accounts of network namespaces that are gone and belonged to no container (their
     * unknown, untracked and encapsulated buckets, their exited processes), after the retention.
     */
    public static final UnknownOwner NAMESPACES_GONE = new UnknownOwner("namespaces gone", -1);

    public static UnknownOwner of(int protocol) {
        return switch (protocol) {
            case ParsedPacket.TCP -> TCP;
            case ParsedPacket.UDP -> UDP;
            default -> OTHER;
        };
    }

    /** The untracked bucket of the namespace {@code netns} (0: the host's, -1: a far side not identified). */
    public static UnknownOwner untracked(long netns) {
        return netns == 0 ? UNTRACKED : new UnknownOwner(UNTRACKED.name() + " [net:" + netns + "]", netns);
    }

    /** The bucket of traffic beyond the flow table's bound, not traffic whose socket was not found. */
    public boolean untracked() {
        return name.startsWith(UNTRACKED.name());
    }

    /** The bucket of {@code protocol} in the namespace {@code netns} (0: the host's). */
    public static UnknownOwner of(int protocol, long netns) {
        UnknownOwner host = of(protocol);
        return netns == 0 ? host : new UnknownOwner(host.name() + " [net:" + netns + "]", netns);
    }
}
