package io.podhogs.host;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Optional;

/**
 * Tells whether any network interface of podhogs's namespace (the host's) changed: a netlink
 * socket subscribed to the kernel's link notifications (RTMGRP_LINK: an interface created,
 * deleted, renamed, set up or down, given an address, a master or a lower device). Reading
 * /sys/class/net for every interface each second was most of an idle engine's file reads; with
 * this, an unchanged host costs one non-blocking recv a look. Needs no privilege.
 *
 * <p>A notification lost to a full socket buffer (ENOBUFS) counts as a change: the reader then
 * reads everything again, as it would without this.
 */
public final class LinkEvents implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int RTMGRP_LINK = 1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    /** Calls that return -1 and leave errno to {@link Native#getLastError()}: no exception a look. */
    private interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] address, int length);

        long recv(int fd, byte[] buf, long length, int flags);

        int close(int fd);
    }

    private final LibC libc;
    private final int fd;
    private final byte[] buffer = new byte[16384];
    private boolean closed;

    private LinkEvents(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /** The subscription, or empty where netlink cannot be had (then every look reads everything). */
    public static Optional<LinkEvents> open() {
        try {
            LibC libc = Native.load("c", LibC.class);
            int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
            if (fd < 0) {
                return Optional.empty();
            }
            byte[] address = new byte[12]; // sockaddr_nl: family, pad, pid 0 (the kernel picks), groups
            address[0] = AF_NETLINK;
            address[8] = RTMGRP_LINK;
            if (libc.bind(fd, address, address.length) != 0) {
                libc.close(fd);
                return Optional.empty();
            }
            return Optional.of(new LinkEvents(libc, fd));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a link changed since the last call, or since the socket was opened. Takes every
     * notification queued; true too when some were lost or the socket fails.
     */
    public synchronized boolean changed() {
        if (closed) {
            return true;
        }
        boolean changed = false;
        while (true) {
            long n = libc.recv(fd, buffer, buffer.length, MSG_DONTWAIT);
            if (n > 0) {
                changed = true;
                continue;
            }
            if (n == 0) {
                return true; // no such thing on a netlink socket: do not trust it any more
            }
            int errno = Native.getLastError();
            if (errno == EINTR) {
                continue;
            }
            return changed || errno != EAGAIN; // ENOBUFS: notifications lost; anything else: unknown
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            libc.close(fd);
        }
    }
}
