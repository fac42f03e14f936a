import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.podhogs.attribution.FlowTable;
import io.podhogs.capture.FrameParser;
import io.podhogs.capture.LinkType;
import io.podhogs.capture.PacketSource;
import io.podhogs.capture.ParsedPacket;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

/**
 * A probe, not product code (issue 20, part 1): what the capture thread would cost a frame reading
 * its own TPACKET_V3 ring instead of libpcap's pcap_dispatch into pcap_dump. One device, a ring of
 * 16 blocks of 1 MiB (2 ms block timeout, as libpcap's), each block copied to the heap once, its
 * frames parsed in place by podhogs's FrameParser into a FlowTable, reads paced as ReadPacing
 * paces them. Prints the thread's CPU from WARM_UP_S on, a frame the device sent in that time (its
 * tx_packets: the flood's, as podhogs's figure in ring-probe.sh is), and the frames it read.
 *
 * <p>Usage (bench/ring-probe.sh runs it): java -cp ... RingProbe DEVICE MAC SECONDS
 */
public final class RingProbe {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int ETH_P_ALL_BE = 0x0300;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_RX_RING = 5;
    private static final int PACKET_VERSION = 10;
    private static final int TPACKET_V3 = 2;
    private static final int TP_STATUS_USER = 1;
    private static final int BLOCK = 1 << 20;
    private static final int BLOCKS = 16;
    private static final long WARM_UP_S = 15;

    static {
        Native.register(RingProbe.class, NativeLibrary.getInstance("c"));
    }

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, long value, int len);

    static native int bind(int fd, long addr, int len);

    static native long mmap(long addr, long len, int prot, int flags, int fd, long off);

    static native int poll(long fds, long n, int timeout);

    static native int if_nametoindex(String name);

    public static void main(String[] args) {
        int ifindex = if_nametoindex(args[0]);
        long mac = Long.parseLong(args[1].replace(":", ""), 16);
        long seconds = Long.parseLong(args[2]);
        // Protocol 0: no frame queued before the bind names the device and the protocol.
        int fd = socket(AF_PACKET, SOCK_RAW, 0);
        Memory v = new Memory(28);
        v.setInt(0, TPACKET_V3);
        check(fd >= 0 && setsockopt(fd, SOL_PACKET, PACKET_VERSION, Pointer.nativeValue(v), 4) == 0, "TPACKET_V3");
        // struct tpacket_req3: block size and count, frame size and count, block timeout (ms), priv, features
        int[] req = {BLOCK, BLOCKS, 2048, BLOCK / 2048 * BLOCKS, 2, 0, 0};
        for (int i = 0; i < req.length; i++) {
            v.setInt(4L * i, req[i]);
        }
        check(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, Pointer.nativeValue(v), 28) == 0, "PACKET_RX_RING");
        long ring = mmap(0, (long) BLOCK * BLOCKS, 3, 1, fd, 0); // PROT_READ|PROT_WRITE, MAP_SHARED
        check(ring != -1, "mmap");
        Memory sll = new Memory(20);
        sll.clear();
        sll.setShort(0, (short) AF_PACKET);
        sll.setShort(2, (short) ETH_P_ALL_BE);
        sll.setInt(4, ifindex);
        check(bind(fd, Pointer.nativeValue(sll), 20) == 0, "bind");
        ByteBuffer map = new Pointer(ring).getByteBuffer(0, (long) BLOCK * BLOCKS).order(ByteOrder.nativeOrder());
        Memory pollFd = new Memory(8);
        pollFd.setInt(0, fd);
        pollFd.setShort(4, (short) 1); // POLLIN
        pollFd.setShort(6, (short) 0);

        FlowTable table = new FlowTable(1024, () -> { });
        table.noFarSide(new byte[ifindex + 1]);
        // With the device's MAC the parser tells sent frames from received, as podhogs's does.
        Frames frames = new Frames(FrameParser.device(LinkType.ETHERNET, ifindex, 1, mac));
        byte[] copy = new byte[BLOCK];
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuAtWarm = -1;
        long framesAtWarm = 0;
        long sentAtWarm = 0;
        long seen = 0;
        int block = 0;
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
            int base = block * BLOCK;
            // struct tpacket_block_desc: version, offset_to_priv, then tpacket_hdr_v1: block_status
            // (8), num_pkts (12), offset_to_first_pkt (16), blk_len (20)
            if ((map.getInt(base + 8) & TP_STATUS_USER) == 0) {
                poll(Pointer.nativeValue(pollFd), 1, 100);
                continue;
            }
            int n = map.getInt(base + 12);
            map.get(base, copy, 0, Math.min(map.getInt(base + 20), BLOCK));
            map.putInt(base + 8, 0); // TP_STATUS_KERNEL: copied, the block goes back at once
            frames.of(copy, map.getInt(base + 16), n);
            table.acceptAll(frames);
            seen += n;
            block = (block + 1) % BLOCKS;
            if (n >= 64 && (map.getInt(block * BLOCK + 8) & TP_STATUS_USER) == 0) {
                LockSupport.parkNanos(5_000_000L); // ReadPacing's pause after a busy read
            }
            if (cpuAtWarm < 0 && System.nanoTime() - start > WARM_UP_S * 1_000_000_000L) {
                cpuAtWarm = threads.getCurrentThreadCpuTime();
                framesAtWarm = seen;
                sentAtWarm = sent(args[0]);
            }
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuAtWarm;
        long sent = sent(args[0]) - sentAtWarm;
        check(cpuAtWarm >= 0 && sent > 0, "a flood after the warm-up");
        System.out.printf("ring probe: %.3f us a frame (%d frames sent, %d read, from %d s on)%n", cpu / 1000.0 / sent,
                sent, seen - framesAtWarm, WARM_UP_S);
    }

    private static long sent(String device) {
        try {
            return Long.parseLong(java.nio.file.Files.readString(
                    java.nio.file.Path.of("/sys/class/net", device, "statistics", "tx_packets")).trim());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " failed: errno " + Native.getLastError());
        }
    }

    /** The frames of one copied block, parsed where they lie as the table asks for them. */
    private static final class Frames implements PacketSource {
        private final FrameParser parser;
        private final ParsedPacket packet = new ParsedPacket();
        private byte[] block;
        private int at;
        private int left;

        Frames(FrameParser parser) {
            this.parser = parser;
        }

        void of(byte[] copied, int first, int count) {
            block = copied;
            at = first;
            left = count;
        }

        @Override
        public ParsedPacket next() {
            if (left == 0) {
                return null;
            }
            left--;
            // struct tpacket3_hdr: tp_next_offset (0), tp_snaplen (12), tp_len (16), tp_mac (24, u16)
            int next = intAt(at);
            int mac = (block[at + 24] & 0xff) | (block[at + 25] & 0xff) << 8;
            parser.parse(block, at + mac, intAt(at + 12), intAt(at + 16), packet);
            at += next;
            return packet;
        }

        private int intAt(int i) {
            return (block[i] & 0xff) | (block[i + 1] & 0xff) << 8 | (block[i + 2] & 0xff) << 16 | (block[i + 3] & 0xff) << 24;
        }
    }
}
