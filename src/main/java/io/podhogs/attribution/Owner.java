package io.podhogs.attribution;

/** Who a flow's bytes belong to: a process, or an "unknown" bucket that keeps them counted. */
public sealed interface Owner permits ProcessOwner, UnknownOwner {
    /** The name shown for this owner ("/usr/bin/curl", "unknown TCP"). */
    String name();
}
