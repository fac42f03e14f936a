package io.podhogs.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which namespace the far end of a link is in, as the kernel itself knows it: a link whose peer
 * lives in another namespace (a veth, a macvlan of a pod) carries that namespace's id
 * (IFLA_LINK_NETNSID, an id local to podhogs's namespace), and the same id is asked of a
 * namespace through a descriptor of it (RTM_GETNSID with NETNSA_FD). Nothing is guessed from
 * interface indexes, which repeat across namespaces (every CNI-made pod's eth0 is 2). One
 * NETLINK_ROUTE socket, podhogs's namespace's; needs no privilege beyond opening /proc/PID/ns/net
 * (ptrace read access: SYS_PTRACE). Engine thread only.
 */
public final class NetnsIds implements AutoCloseable {
    /** The link has no peer in another namespace (or the kernel did not say). */
    public static final int NONE = -1;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2;
    private static final int NLM_F_REQUEST = 1;
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_NEWNSID = 88;
    private static final int RTM_GETNSID = 90;
    private static final int IFLA_LINK_NETNSID = 37;
    private static final int NETNSA_NSID = 1;
    private static final int NETNSA_FD = 3;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int HEADER = 16;

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        long sendto(int fd, byte[] buf, long length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        long recv(int fd, byte[] buf, long length, int flags) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final LibC libc;
    private final int fd;
    private final byte[] reply = new byte[16384];
    private final byte[] kernel = new byte[12];
    private int sequence;

    private NetnsIds(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
        kernel[0] = AF_NETLINK;
    }

    /** The route socket, or empty when netlink cannot be had (then indexes decide, as before). */
    public static Optional<NetnsIds> open() {
        try {
            LibC libc = Native.load("c", LibC.class);
            int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(100_000).array();
            libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length);
            return Optional.of(new NetnsIds(libc, fd));
        } catch (LastErrorException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    /**
     * The id of the namespace the peer of link {@code ifindex} is in, {@link #NONE} when its peer
     * is in this namespace or it has none.
     *
     * @throws IllegalStateException when netlink fails, or the link is gone (ENODEV)
     */
    public int linkNetnsid(int ifindex) {
        ByteBuffer b = request(RTM_GETLINK, 16);
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(0).putInt(0); // ifinfomsg
        ByteBuffer r = ask(b, RTM_NEWLINK);
        return attribute(r, HEADER + 16, IFLA_LINK_NETNSID);
    }

    /**
     * The id this namespace gives the namespace of {@code netnsFile} (/proc/PID/ns/net), {@link #NONE}
     * when it has given it none (no link joins them), or empty when the file cannot be opened (the
     * process ended; no access to it).
     *
     * @throws IllegalStateException when netlink fails
     */
    public Optional<Integer> netnsid(Path netnsFile) {
        int ns;
        try {
            ns = libc.open(netnsFile.toString(), O_RDONLY_CLOEXEC);
        } catch (LastErrorException e) {
            return Optional.empty();
        }
        try {
            ByteBuffer b = request(RTM_GETNSID, 4 + 8);
            b.put((byte) 0).put((byte) 0).putShort((short) 0); // rtgenmsg, aligned to 4
            b.putShort((short) 8).putShort((short) NETNSA_FD).putInt(ns);
            ByteBuffer r = ask(b, RTM_NEWNSID);
            return Optional.of(attribute(r, HEADER + 4, NETNSA_NSID));
        } finally {
            try {
                libc.close(ns);
            } catch (LastErrorException e) {
                // closed either way
            }
        }
    }

    private ByteBuffer request(int type, int payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload).order(ByteOrder.nativeOrder());
        b.putInt(HEADER + payload).putShort((short) type).putShort((short) NLM_F_REQUEST).putInt(++sequence).putInt(0);
        return b;
    }

    /** Sends the request; the reply of {@code type} to it (replies to earlier requests are skipped). */
    private ByteBuffer ask(ByteBuffer request, int type) {
        byte[] bytes = request.array();
        try {
            libc.sendto(fd, bytes, bytes.length, 0, kernel, kernel.length);
            while (true) {
                int n = (int) libc.recv(fd, reply, reply.length, 0);
                ByteBuffer r = ByteBuffer.wrap(reply, 0, n).order(ByteOrder.nativeOrder());
                if (n < HEADER || r.getInt(8) != sequence) {
                    continue;
                }
                int got = r.getShort(4) & 0xffff;
                if (got == NLMSG_ERROR) {
                    int error = n >= HEADER + 4 ? -r.getInt(HEADER) : -1;
                    throw new IllegalStateException("netlink answered errno " + error);
                }
                if (got != type) {
                    throw new IllegalStateException("netlink answered an unexpected message " + got);
                }
                return r;
            }
        } catch (LastErrorException e) {
            throw new IllegalStateException("netlink failed: errno " + e.getErrorCode());
        }
    }

    /** The signed 32-bit attribute {@code wanted} among the attributes from {@code offset}, or {@link #NONE}. */
    static int attribute(ByteBuffer r, int offset, int wanted) {
        int end = Math.min(r.limit(), r.getInt(0));
        int at = offset;
        while (at + 4 <= end) {
            int length = r.getShort(at) & 0xffff;
            int type = r.getShort(at + 2) & 0x3fff; // without the nested and byte-order flags
            if (length < 4 || at + length > end) {
                break;
            }
            if (type == wanted && length >= 8) {
                return r.getInt(at + 4);
            }
            at += (length + 3) & ~3;
        }
        return NONE;
    }

    @Override
    public void close() {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            // gone either way
        }
    }
}
