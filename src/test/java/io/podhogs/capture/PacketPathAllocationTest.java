package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.attribution.FlowTable;
import io.podhogs.attribution.FlowTableView;
import io.podhogs.testing.Await;
import io.podhogs.testing.CookedFrames;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * The packet path allocates nothing per frame: a million frames go through a capture loop's real
 * path (libpcap's pcap_dispatch into the batch buffer, the copy out of it, the parser, the flow
 * table), and the capture thread's own allocation counter (HotSpot's, per thread: what it allocated
 * on the heap) is read every 100,000 frames, after 200,000 frames of warm-up. A savefile stands in for the
 * socket: libpcap reads both through the same pcap_dispatch, and a file gives an exact number of
 * frames at any speed. The frames are what the {@code any} device hands over (cooked v2 headers),
 * eight flows, TCP and UDP, each way, their payloads cut by the snap length as live ones are.
 */
class PacketPathAllocationTest {
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 1_000_000;
    private static final int LINKTYPE_LINUX_SLL2 = 276;
    private static final int SNAP_LENGTH = 256;
    /** Cooked (20) + IPv4 (20) + TCP (20) header bytes: what the file keeps of each frame. */
    private static final int KEPT = 60;

    @Test
    void aMillionFramesAllocateNothingOnTheCaptureThread(@TempDir Path dir) throws Exception {
        byte[][] frames = new byte[8][];
        for (int i = 0; i < 4; i++) {
            boolean outgoing = i % 2 == 0;
            frames[i] = CookedFrames.tcp(3, outgoing, outgoing ? "10.1.0.1" : "10.1.0.2", 40_000 + i,
                    outgoing ? "10.1.0.2" : "10.1.0.1", 443, CookedFrames.PSH_ACK, 1_400);
            frames[4 + i] = CookedFrames.udp(4, outgoing, outgoing ? "10.2.0.1" : "10.2.0.2", 50_000 + i,
                    outgoing ? "10.2.0.2" : "10.2.0.1", 53, 1_000 + i);
        }
        Path file = dir.resolve("frames.pcap");
        long wireBytes = write(file, frames, WARM_UP + MEASURED);

        FlowTable table = new FlowTable(64, () -> { });
        byte[] noFarSides = new byte[8];
        Arrays.fill(noFarSides, (byte) 1); // each frame counted once, on the host's side
        table.noFarSide(noFarSides);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Read every 100,000 frames from one call site: its own first call (linking it) allocates.
        long[] allocated = new long[(WARM_UP + MEASURED) / 100_000 + 1];
        int[] seen = new int[1];
        // The table takes each batch as the capture loop hands it (one lock a batch); the counter is
        // read as the table asks for each packet. One wrapper for the whole run: nothing a batch.
        final class Measuring implements PacketSink, PacketSource {
            private PacketSource batch;

            @Override
            public void accept(ParsedPacket p) {
                throw new AssertionError("the capture loop hands frames over in batches");
            }

            @Override
            public void acceptAll(PacketSource packets) {
                batch = packets;
                table.acceptAll(this);
            }

            @Override
            public ParsedPacket next() {
                ParsedPacket p = batch.next();
                int n = p == null ? 0 : ++seen[0];
                if (n > 0 && n % 100_000 == 0) {
                    allocated[n / 100_000] = threads.getCurrentThreadAllocatedBytes();
                }
                return p;
            }
        }
        PacketSink measuring = new Measuring();
        PcapHandle handle = Pcaps.openOffline(file.toString());
        CaptureLoop loop = new CaptureLoop("frames.pcap", handle, FrameParser.cooked(LinkType.LINUX_SLL2), measuring);
        loop.start();
        Await.until(Duration.ofSeconds(120), Duration.ofMillis(50), () -> !loop.status().running(),
                () -> "the capture loop to read the file's " + (WARM_UP + MEASURED) + " frames");
        CaptureStatus status = loop.status();
        loop.stop();

        assertEquals(WARM_UP + MEASURED, status.frames(), status::toString);
        assertEquals(wireBytes, status.bytes(), status::toString);
        assertEquals(0, status.rejected() + status.failed(), status::toString);
        FlowTableView view = new FlowTableView();
        table.exchange(view);
        long tableBytes = 0;
        long tablePackets = 0;
        for (int s = 0; s < view.highWater(); s++) {
            tableBytes += view.sentBytes(s) + view.receivedBytes(s);
            tablePackets += view.sentPackets(s) + view.receivedPackets(s);
        }
        assertEquals(8, view.size(), "flows");
        assertEquals(WARM_UP + MEASURED, tablePackets);
        assertEquals(wireBytes, tableBytes);
        assertTrue(allocated[WARM_UP / 100_000] > 0, "the counter was read at the first frame measured");
        // One object a frame would be 16 MB here, one a batch 60 KB; a few hundred bytes once (the
        // JIT recompiling a method while it runs, a call site linked late) is no cost per frame.
        long measured = allocated[allocated.length - 1] - allocated[WARM_UP / 100_000];
        assertTrue(measured <= 4_096, () -> measured + " bytes allocated by the capture thread over " + MEASURED
                + " frames (the counter every 100,000 frames: " + Arrays.toString(allocated) + ")");
    }

    /** Writes {@code count} records cycling through {@code frames}, each cut to its headers; returns their wire bytes. */
    private static long write(Path file, byte[][] frames, int count) throws IOException {
        long wire = 0;
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAP_LENGTH)
                .putInt(LINKTYPE_LINUX_SLL2);
        ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(header.array());
            for (int i = 0; i < count; i++) {
                byte[] frame = frames[i % frames.length];
                record.clear();
                record.putInt(i / 1_000_000).putInt(i % 1_000_000).putInt(KEPT).putInt(frame.length);
                out.write(record.array());
                out.write(frame, 0, KEPT);
                wire += CookedFrames.wireBytes(frame);
            }
        }
        return wire;
    }
}
