package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * A capture loop counts the frames the parser cannot read fully, by why, as libpcap hands them
 * over: the fixture files through a real pcap_loop (src/test/resources/frames, README.md there).
 */
class CaptureLoopRejectsTest {
    private static CaptureStatus countAll(String fixture) throws Exception {
        return countAll(fixture, p -> { });
    }

    private static CaptureStatus countAll(String fixture, PacketSink sink) throws Exception {
        PcapHandle handle = Pcaps.openOffline(Path.of(CaptureLoopRejectsTest.class.getResource("/frames/" + fixture).toURI())
                .toString());
        CaptureLoop loop = new CaptureLoop(fixture, handle, FrameParser.cooked(LinkType.LINUX_SLL2), sink);
        loop.start();
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> !loop.status().running(),
                () -> fixture + "'s loop to end at its last frame, as a file's does");
        CaptureStatus status = loop.status();
        loop.stop();
        return status;
    }

    private static long wireBytes(String fixture) {
        PcapFrames frames = PcapFrames.load(fixture);
        FrameGen.Device any = new FrameGen.Device(LinkType.LINUX_SLL2, -1, -1);
        return frames.frames.stream()
                .mapToLong(f -> FrameChecks.wireLength(new FrameGen.Input(any, f.bytes(), f.bytes().length, f.originalLength())))
                .sum();
    }

    @Test
    void framesCutByTheSnapLengthAreCountedAsTruncated() throws Exception {
        // snaplen 40: 20 bytes of IP after the cooked header, so the UDP frames 1 and 3 lose their
        // ports and the IPv6 frames 5 to 8 their header; the ICMP frames 2 and 4 need no more
        // (FrameParserFixtureTest has them one by one).
        CaptureStatus s = countAll("truncated-sll2.pcap");
        assertEquals(List.of(8L, 6L, 0L, 0L), List.of(s.frames(), s.truncated(), s.malformed(), s.failed()), s::toString);
        assertEquals(wireBytes("truncated-sll2.pcap"), s.bytes());
        assertEquals(6, s.rejected());
    }

    @Test
    void aFrameWhoseHeadersContradictThemselvesIsCountedAsMalformed() throws Exception {
        // Frame 3 keeps an 802.1Q tag under an SLL2 protocol of IPv4: an "IPv4" header of version 0.
        CaptureStatus s = countAll("vlan-sll2.pcap");
        assertEquals(List.of(3L, 0L, 1L, 0L), List.of(s.frames(), s.truncated(), s.malformed(), s.failed()), s::toString);
        assertEquals(wireBytes("vlan-sll2.pcap"), s.bytes());
    }

    @Test
    void aFrameTheSinkThrowsOnIsCountedAsFailedAndTheRestOfItsBatchStillArrives() throws Exception {
        // The file's eight frames come in one batch; the sink throws on the second.
        List<Integer> seen = new java.util.ArrayList<>();
        int[] n = new int[1];
        CaptureStatus s = countAll("truncated-sll2.pcap", p -> {
            int frame = ++n[0];
            if (frame == 2) {
                throw new IllegalStateException("frame 2 refused");
            }
            seen.add(frame);
        });
        assertEquals(List.of(1, 3, 4, 5, 6, 7, 8), seen);
        assertEquals(List.of(8L, 1L), List.of(s.frames(), s.failed()), s::toString);
        assertEquals("a frame could not be counted: java.lang.IllegalStateException: frame 2 refused", s.error());
    }

    @Test
    void aSinkThatThrowsBeforeTakingAFrameFailsTheBatchInsteadOfLoopingOnIt() throws Exception {
        PacketSink refusing = new PacketSink() {
            @Override
            public void accept(ParsedPacket packet) {
                throw new AssertionError("frames come in batches");
            }

            @Override
            public void acceptAll(PacketSource packets) {
                throw new IllegalStateException("refused");
            }
        };
        CaptureStatus s = countAll("truncated-sll2.pcap", refusing);
        assertEquals(List.of(0L, 8L), List.of(s.frames(), s.failed()), s::toString);
        assertEquals("a frame could not be counted: java.lang.IllegalStateException: refused", s.error());
    }
}
