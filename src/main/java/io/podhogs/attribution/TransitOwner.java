package io.podhogs.attribution;

/**
 * Bytes the host's side of an interface carried for others, already counted for a namespace's
 * socket where they crossed its boundary: frames on bridge ports and bond slaves, and frames routed
 * through the host that are neither from nor to one of its addresses. Kept so that every device's
 * accounts add up to its counters, never shown as anyone's traffic.
 */
public record TransitOwner(String name) implements Owner {
    public static final TransitOwner FORWARDED = new TransitOwner("forwarded");

    /** Always the host's side. */
    @Override
    public long netns() {
        return 0;
    }
}
