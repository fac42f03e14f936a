package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.SockDiag;
import java.util.Optional;

/**
 * Finds one TCP socket of a namespace (the host's, or a pod's: {@link #sockDiagIn}) by its exact
 * four-tuple, at once, without reading a whole table: the first look at a new connection, made while
 * a short one still has its socket. The tables of /proc remain the way for everything else (UDP,
 * namespaces that cannot be entered).
 */
public interface HostSocketLookup extends AutoCloseable {
    /** The socket holding exactly the flow's TCP connection now, with its inode; null if none. */
    SocketEntry connection(FlowKey key);

    /** The TCP listener of the flow's local address and port; null if none. */
    SocketEntry listener(FlowKey key);

    /** False when every question goes to the tables instead. */
    boolean available();

    /** Opens a lookup in namespace {@code netns} through {@code netnsFile}; an unavailable one if it cannot. */
    @FunctionalInterface
    interface Opener {
        HostSocketLookup open(java.nio.file.Path netnsFile, long netns);

        /** Every pod namespace's tables are read: for hosts and tests without the lookups. */
        Opener NONE = (file, netns) -> none();

        /** sock_diag, entering each namespace (CAP_SYS_ADMIN). */
        Opener SOCK_DIAG = HostSocketLookup::sockDiagIn;
    }

    @Override
    default void close() {
    }

    /** For hosts and tests where no such lookup exists: every question goes to the tables. */
    static HostSocketLookup none() {
        return new HostSocketLookup() {
            @Override
            public SocketEntry connection(FlowKey key) {
                return null;
            }

            @Override
            public SocketEntry listener(FlowKey key) {
                return null;
            }

            @Override
            public boolean available() {
                return false;
            }
        };
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
        HostSocketLookup lookup = over(opened.get());
        // The first calls bind JNA's native functions and link this code's lambdas, milliseconds
        // that are spent here, at start, rather than on the first connection, which may live for
        // less than that.
        long loopback = Addresses.V4_MAPPED_LO_PREFIX | 0x7f000001L;
        FlowKey nothing = new FlowKey(0, ParsedPacket.TCP, 0, loopback, 1, 0, loopback, 1, 0);
        lookup.connection(nothing);
        lookup.listener(nothing);
        return lookup.available() ? lookup : none();
    }

    /**
     * Through sock_diag in the network namespace {@code netnsInode}, entered through {@code netnsFile}
     * (/proc/PID/ns/net of a process in it): a pod's
     * connections asked for one by one as the host's are; {@link #none()} without the privilege
     * to enter it (CAP_SYS_ADMIN), when its tables are read instead.
     */
    static HostSocketLookup sockDiagIn(java.nio.file.Path netnsFile, long netnsInode) {
        return SockDiag.openIn(netnsFile, netnsInode).map(HostSocketLookup::over).orElseGet(HostSocketLookup::none);
    }

    /** The lookup over one netlink socket, which it closes when it is closed or fails. */
    private static HostSocketLookup over(SockDiag diag) {
        return new HostSocketLookup() {
            private boolean failed;

            @Override
            public SocketEntry connection(FlowKey key) {
                if (failed || key.protocol() != ParsedPacket.TCP) {
                    return null;
                }
                return find(key.localHi(), key.localLo(), key.localPort(), key.remoteHi(), key.remoteLo(),
                        key.remotePort())
                        .filter(found -> found.state() != SockDiag.TCP_LISTEN && found.inode() != 0)
                        .map(found -> new SocketEntry(ParsedPacket.TCP, key.localHi(), key.localLo(), key.localPort(),
                                key.remoteHi(), key.remoteLo(), key.remotePort(), found.state(), found.uid(),
                                found.inode()))
                        .orElse(null);
            }

            /** Asked with no remote end, the kernel answers with the listener of the local port. */
            @Override
            public SocketEntry listener(FlowKey key) {
                if (failed || key.protocol() != ParsedPacket.TCP) {
                    return null;
                }
                long noneLo = Addresses.isV4Mapped(key.localHi(), key.localLo()) ? Addresses.V4_MAPPED_LO_PREFIX : 0;
                return find(key.localHi(), key.localLo(), key.localPort(), 0, noneLo, 0)
                        .filter(found -> found.state() == SockDiag.TCP_LISTEN && found.inode() != 0)
                        .map(found -> new SocketEntry(ParsedPacket.TCP, key.localHi(), key.localLo(), key.localPort(),
                                0, noneLo, 0, found.state(), found.uid(), found.inode()))
                        .orElse(null);
            }

            private Optional<SockDiag.Found> find(long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
                try {
                    return diag.findTcp(lHi, lLo, lPort, rHi, rLo, rPort);
                } catch (IllegalStateException e) {
                    close(); // the tables still answer, only later
                    return Optional.empty();
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
                    diag.close();
                }
            }
        };
    }
}
