package io.podhogs.accounting;

/**
 * A device (--by interface): every account's bytes on the host's side of it. A byte that crossed
 * two devices (a veth and its bridge) is in both devices' rows: they do not add up to a total.
 */
public record InterfaceKey(int ifindex, String name) implements AccountKey {
    @Override
    public long netns() {
        return 0;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.INTERFACE;
    }
}
