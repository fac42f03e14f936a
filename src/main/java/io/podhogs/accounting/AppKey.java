package io.podhogs.accounting;

/**
 * An application (--by app): the sum of the processes, containers or pods one name groups, by a
 * rule of an applications file, by a pod's label or workload, or by a program's base name.
 */
public record AppKey(String name) implements AccountKey {
    @Override
    public long netns() {
        return -1;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.APP;
    }
}
