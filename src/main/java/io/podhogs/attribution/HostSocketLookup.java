package io.podhogs.attribution;

import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.SockDiag;
import java.util.Optional;

/**
 * Finds one TCP socket of the host's namespace by its exact four-tuple, at once, without reading a
 * whole table: the first look at a new connection, made while a short one still has its socket.
 * The tables of /proc remain the way for everything else (UDP, listeners, other namespaces).
 */
public interface HostSocketLookup extends AutoCloseable {
    /** The socket holding exactly the flow's TCP connection now, with its inode; null if none. */
    SocketEntry connection(FlowKey key);

    @Override
    default void close() {
    }

    /** For hosts and tests where no such lookup exists: every question goes to the tables. */
    static HostSocketLookup none() {
        return key -> null;
    }

    /**
     * Through the kernel's sock_diag: only for a podhogs that runs in the host's network namespace,
     * which is the namespace its netlink socket asks about. Falls back to {@link #none()} when
     * netlink cannot be had, and turns itself off if it ever fails.
     */
    static HostSocketLookup sockDiag() {
        Optional<SockDiag> opened = SockDiag.open();
        if (opened.isEmpty()) {
            return none();
        }
        SockDiag diag = opened.get();
        return new HostSocketLookup() {
            private boolean failed;

            @Override
            public SocketEntry connection(FlowKey key) {
                if (failed || key.protocol() != ParsedPacket.TCP) {
                    return null;
                }
                try {
                    return diag.findTcp(key.localHi(), key.localLo(), key.localPort(),
                                    key.remoteHi(), key.remoteLo(), key.remotePort())
                            .filter(found -> found.state() != SockDiag.TCP_LISTEN && found.inode() != 0)
                            .map(found -> new SocketEntry(ParsedPacket.TCP, key.localHi(), key.localLo(),
                                    key.localPort(), key.remoteHi(), key.remoteLo(), key.remotePort(),
                                    found.state(), found.uid(), found.inode()))
                            .orElse(null);
                } catch (IllegalStateException e) {
                    close(); // the tables still answer, only later
                    return null;
                }
            }

            @Override
            public void close() {
                if (!failed) {
                    failed = true;
                    diag.close();
                }
            }
        };
    }
}
