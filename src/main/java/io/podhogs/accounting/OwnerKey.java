package io.podhogs.accounting;

import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.identity.CgroupIdentity;

/** The account of one owner of flows: a process, an unknown or untracked bucket, or transit. */
public record OwnerKey(Owner owner) implements AccountKey {
    @Override
    public String name() {
        return owner.name();
    }

    @Override
    public long netns() {
        return owner.netns();
    }

    @Override
    public AccountKind kind() {
        if (owner instanceof ProcessOwner) {
            return AccountKind.PROCESS;
        }
        if (owner instanceof TransitOwner t) {
            return t.name().startsWith(TransitOwner.ENCAPSULATED.name()) ? AccountKind.ENCAPSULATED : AccountKind.FORWARDED;
        }
        return ((UnknownOwner) owner).untracked() ? AccountKind.UNTRACKED : AccountKind.UNKNOWN;
    }

    @Override
    public ProcessOwner process() {
        return processOf(owner);
    }

    @Override
    public CgroupIdentity cgroup() {
        return cgroupOf(owner);
    }

    /** The owner as a process, null for any other owner (the rows of an owner's connections too). */
    static ProcessOwner processOf(Owner owner) {
        return owner instanceof ProcessOwner p ? p : null;
    }

    /** The container and pod of a process owner's cgroup; none for other owners. */
    static CgroupIdentity cgroupOf(Owner owner) {
        return owner instanceof ProcessOwner p ? p.process().cgroup() : CgroupIdentity.NONE;
    }
}
