package io.podhogs.attribution;

/** A Kubernetes namespace as an account level: the sum of its pods, deleted ones included. */
public record NamespaceOwner(String namespace) implements Owner {
    @Override
    public String name() {
        return namespace;
    }

    @Override
    public long netns() {
        return -1;
    }
}
