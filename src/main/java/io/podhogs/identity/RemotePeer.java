package io.podhogs.identity;

/**
 * The other end of a flow: its class and, where the cluster names it, which pod, Service or node it
 * is. The unnamed peer of each class is a shared constant, so that a classifier hands out only
 * objects it made when it was built.
 *
 * @param namespace the pod's or Service's namespace, "" for a node or an unnamed peer
 * @param name the pod's, Service's or node's name, "" when not known
 */
public record RemotePeer(RemoteClass remoteClass, String namespace, String name) {
    private static final RemotePeer[] UNNAMED = new RemotePeer[RemoteClass.values().length];

    static {
        for (RemoteClass c : RemoteClass.values()) {
            UNNAMED[c.ordinal()] = new RemotePeer(c, "", "");
        }
    }

    public static RemotePeer of(RemoteClass remoteClass) {
        return UNNAMED[remoteClass.ordinal()];
    }

    public boolean named() {
        return !name.isEmpty();
    }

    /** "namespace/name" for pods and Services, the name for nodes, "" when unnamed. */
    public String qualifiedName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
