package io.podhogs.accounting;

/**
 * The sum of the accounts a filter left out (podhogs's --match, --user ..., the top view's '/'):
 * one row named "filtered", so that the rows shown still add up to everything counted and a
 * filter never makes bytes disappear without a trace.
 */
public record FilteredKey() implements AccountKey {
    public static final FilteredKey INSTANCE = new FilteredKey();

    @Override
    public String name() {
        return "filtered";
    }

    @Override
    public long netns() {
        return -1;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.FILTERED;
    }
}
