package io.podhogs.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Looks up one TCP socket by its exact four-tuple through the kernel's sock_diag netlink interface,
 * in the network namespace podhogs runs in (the host's). The kernel answers from its socket hash in
 * microseconds, where /proc/net/tcp walks every bucket of that hash (a quarter of a million on a
 * 24 GiB machine: about 5 ms a file, however few sockets there are). That difference is what lets a
 * connection that lives a millisecond be found while it still has its socket.
 *
 * <p>Needs no privilege in podhogs's own namespace. A socket of another namespace (a pod's) is
 * opened by a thread that enters that namespace and ends ({@link #openIn}), which takes
 * CAP_SYS_ADMIN. One netlink socket, used by one thread (the engine's); not thread-safe.
 */
public final class SockDiag implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int NLMSG_ERROR = 2;
    private static final int NLM_F_REQUEST = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int HEADER = 16;
    private static final int REQUEST = HEADER + 56;
    private static final int ENOENT = 2;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    /** TCP's LISTEN state: the kernel falls back to a listener when no connection matches. */
    public static final int TCP_LISTEN = 10;

    /** The socket found: its TCP state, owner uid and inode (0 when no process holds it). */
    public record Found(int state, int uid, long inode) {
    }

    /**
     * The two calls of every lookup, bound by JNA's direct mapping: an interface-mapped call
     * converts and checks each argument by reflection (several microseconds), which at a thousand
     * new connections a second was a tenth of the engine. Bound when a socket is opened; a missing
     * libc surfaces there as UnsatisfiedLinkError or NoClassDefFoundError, which the openers catch.
     */
    private static final class Lookups {
        static {
            Native.register(Lookups.class, NativeLibrary.getInstance("c"));
        }

        private Lookups() {
        }

        /** Binds the calls (the class's initialisation). */
        static void bind() {
        }

        static native long sendto(int fd, byte[] buf, long length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        static native long recv(int fd, byte[] buf, long length, int flags) throws LastErrorException;
    }

    /** The calls made once a socket. */
    private interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;
    }

    private final LibC libc;
    private final int fd;
    private final byte[] request = new byte[REQUEST];
    private final byte[] reply = new byte[8192];
    private final byte[] kernel = new byte[12];
    private int sequence;

    private SockDiag(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
        kernel[0] = AF_NETLINK; // sockaddr_nl of the kernel: family, then pid 0 and groups 0
    }

    /** Opens the netlink socket, or empty when it cannot be had (then /proc is used). */
    public static Optional<SockDiag> open() {
        try {
            return open(Native.load("c", LibC.class));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    /**
     * Opens a netlink socket in the network namespace {@code netnsInode} through {@code netnsFile}
     * (/proc/PID/ns/net of a process in it), which
     * it stays in for good: a thread of its own enters the namespace, opens the socket and ends, so
     * that no thread of podhogs's is ever left in another namespace. Empty when that cannot be done
     * (setns needs CAP_SYS_ADMIN; the process may be gone); then that namespace's tables are read.
     * Costs a thread's start, about 0.1 ms: once a namespace.
     */
    public static Optional<SockDiag> openIn(Path netnsFile, long netnsInode) {
        AtomicReference<Optional<SockDiag>> opened = new AtomicReference<>(Optional.empty());
        Thread t = new Thread(() -> {
            try {
                LibC libc = Native.load("c", LibC.class);
                int ns = libc.open(netnsFile.toString(), O_RDONLY_CLOEXEC);
                try {
                    // The file is a process's: if it ended and its PID was taken since, the file
                    // opened is another namespace's. The descriptor says which one it holds (its
                    // /proc/self/fd link leads to the namespace's own inode).
                    Object held = Files.getAttribute(Path.of("/proc/self/fd/" + ns), "unix:ino");
                    if (held instanceof Number n && n.longValue() == netnsInode) {
                        libc.setns(ns, CLONE_NEWNET);
                        opened.set(open(libc));
                    }
                } finally {
                    libc.close(ns);
                }
            } catch (LastErrorException | IOException | UnsatisfiedLinkError | NoClassDefFoundError e) {
                // no privilege, or the namespace went: its tables answer
            }
        }, "podhogs-netns-diag");
        t.setDaemon(true);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            try {
                t.join(); // the socket it may still open must not be lost
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
        }
        return opened.get();
    }

    private static Optional<SockDiag> open(LibC libc) {
        try {
            Lookups.bind(); // here, where a failure to bind is caught, not at the first lookup

            int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
            // A reply comes at once or not at all; never let the engine thread hang on one.
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(100_000).array();
            libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length);
            return Optional.of(new SockDiag(libc, fd));
        } catch (LastErrorException e) {
            return Optional.empty();
        }
    }

    /**
     * The TCP socket whose local end is {@code local}/{@code localPort} and remote end
     * {@code remote}/{@code remotePort} (128-bit addresses, IPv4 in the IPv4-mapped form), or empty.
     * When no connection matches, the kernel may answer with the listener of the local port
     * ({@link #TCP_LISTEN}): the caller decides what that means.
     *
     * @throws IllegalStateException when the netlink socket fails (not for a socket not found)
     */
    public Optional<Found> findTcp(long localHi, long localLo, int localPort, long remoteHi, long remoteLo,
                                   int remotePort) {
        boolean v4 = isV4Mapped(localHi, localLo) && isV4Mapped(remoteHi, remoteLo);
        ByteBuffer b = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
        int seq = ++sequence;
        b.putInt(REQUEST).putShort((short) SOCK_DIAG_BY_FAMILY).putShort((short) NLM_F_REQUEST).putInt(seq).putInt(0);
        b.put((byte) (v4 ? AF_INET : AF_INET6)).put((byte) IPPROTO_TCP).put((byte) 0).put((byte) 0);
        b.putInt(-1); // every state
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) localPort).putShort((short) remotePort);
        putAddress(b, v4, localHi, localLo);
        putAddress(b, v4, remoteHi, remoteLo);
        b.order(ByteOrder.nativeOrder()).putInt(0).putInt(-1).putInt(-1); // any device; no cookie check
        try {
            Lookups.sendto(fd, request, REQUEST, 0, kernel, kernel.length);
            while (true) {
                long n = Lookups.recv(fd, reply, reply.length, 0);
                Optional<Found> answer = answer(reply, (int) n, seq);
                if (answer != null) {
                    return answer;
                }
            }
        } catch (LastErrorException e) {
            throw new IllegalStateException("sock_diag failed: errno " + e.getErrorCode());
        }
    }

    /**
     * Reads the kernel's answer of {@code n} bytes to question {@code seq}: the socket, empty for
     * none (ENOENT), or null for a message that answers an earlier question (read the next one).
     *
     * @throws IllegalStateException for an error or a message sock_diag does not send
     */
    static Optional<Found> answer(byte[] reply, int n, int seq) {
        ByteBuffer r = ByteBuffer.wrap(reply, 0, n).order(ByteOrder.nativeOrder());
        if (n < HEADER || r.getInt(8) != seq) {
            return null; // a late answer to an earlier question
        }
        int type = r.getShort(4) & 0xffff;
        if (type == NLMSG_ERROR) {
            if (n < HEADER + 4) {
                throw new IllegalStateException("sock_diag answered an error message of " + n + " bytes");
            }
            int error = -r.getInt(HEADER);
            if (error == ENOENT) {
                return Optional.empty();
            }
            throw new IllegalStateException("sock_diag answered errno " + error);
        }
        if (type != SOCK_DIAG_BY_FAMILY || n < HEADER + 72) {
            throw new IllegalStateException("sock_diag answered an unexpected message " + type);
        }
        // inet_diag_msg: family, state, timer, retrans, sockid (48 bytes), expires, rqueue,
        // wqueue, uid, inode
        int state = reply[HEADER + 1] & 0xff;
        int uid = r.getInt(HEADER + 4 + 48 + 12);
        long inode = r.getInt(HEADER + 4 + 48 + 16) & 0xffff_ffffL;
        return Optional.of(new Found(state, uid, inode));
    }

    private static void putAddress(ByteBuffer b, boolean v4, long hi, long lo) {
        if (v4) {
            b.putInt((int) lo).putInt(0).putLong(0);
        } else {
            b.putLong(hi).putLong(lo);
        }
    }

    private static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xffffL;
    }

    @Override
    public void close() {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            // nothing to do: the descriptor is gone either way
        }
    }
}
