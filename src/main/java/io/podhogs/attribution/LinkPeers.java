package io.podhogs.attribution;

import io.podhogs.host.NetnsIds;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's ids of network namespaces (host.NetnsIds): the id of the namespace a link's peer is
 * in, and the id of a namespace given its file. Where they cannot be had, {@link #none()}: then a
 * veth's peer index decides, as before.
 */
public interface LinkPeers extends AutoCloseable {
    /** No id: the link's peer is in this namespace or it has none; the namespace was given none. */
    int NONE = NetnsIds.NONE;
    /** The question could not be answered (the file is gone; netlink failed). */
    int UNANSWERED = -2;

    /** The id of the namespace the peer of link {@code ifindex} is in, {@link #NONE} or {@link #UNANSWERED}. */
    int peerNetnsid(int ifindex);

    /** The id of the namespace of {@code netnsFile} (/proc/PID/ns/net), {@link #NONE} or {@link #UNANSWERED}. */
    int netnsid(Path netnsFile);

    boolean available();

    @Override
    default void close() {
    }

    static LinkPeers none() {
        return new LinkPeers() {
            @Override
            public int peerNetnsid(int ifindex) {
                return UNANSWERED;
            }

            @Override
            public int netnsid(Path netnsFile) {
                return UNANSWERED;
            }

            @Override
            public boolean available() {
                return false;
            }
        };
    }

    /** Through a NETLINK_ROUTE socket of podhogs's namespace; {@link #none()} without one. */
    static LinkPeers netlink() {
        Optional<NetnsIds> opened = NetnsIds.open();
        if (opened.isEmpty()) {
            return none();
        }
        NetnsIds ids = opened.get();
        return new LinkPeers() {
            private boolean failed;

            @Override
            public int peerNetnsid(int ifindex) {
                try {
                    return failed ? UNANSWERED : ids.linkNetnsid(ifindex);
                } catch (IllegalStateException e) {
                    return UNANSWERED; // the link went (ENODEV), or netlink hiccuped: asked again later
                }
            }

            @Override
            public int netnsid(Path netnsFile) {
                try {
                    return failed ? UNANSWERED : ids.netnsid(netnsFile).orElse(UNANSWERED);
                } catch (IllegalStateException e) {
                    return UNANSWERED;
                }
            }

            @Override
            public boolean available() {
                return !failed;
            }

            @Override
            public void close() {
                if (!failed) {
                    failed = true;
                    ids.close();
                }
            }
        };
    }
}
