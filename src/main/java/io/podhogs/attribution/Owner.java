package io.podhogs.attribution;

/**
 * Who a flow's bytes belong to: a process, the host's transit, or an "unknown" bucket that keeps
 * them counted. Only flows have owners: the levels their accounts are summed into (containers,
 * pods ...) are accounting's keys.
 */
public sealed interface Owner permits ProcessOwner, UnknownOwner, TransitOwner {
    /** The name shown for this owner ("/usr/bin/curl", "unknown TCP"). */
    String name();

    /**
     * The network namespace whose side of an interface this owner's bytes are on: 0 for the
     * host's own, a namespace's inode for the far side of a veth, -1 for a far side not identified.
     */
    long netns();
}
