package io.podhogs.accounting;

/** A Kubernetes namespace: the sum of its pods, deleted ones included. */
public record NamespaceKey(String namespace) implements AccountKey {
    @Override
    public String name() {
        return namespace;
    }

    @Override
    public long netns() {
        return -1;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.NAMESPACE;
    }
}
