package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The parser runs on whatever the capture hands it, so it must never throw, and must never look past
 * the captured length (the bytes there are not part of the frame). Seeds are fixed so a failure
 * repeats; the failing input is printed.
 */
class FrameParserRobustnessTest {
    private static final List<String> FIXTURES = List.of("ethernet.pcap", "vlan.pcap", "vlan-sll2.pcap",
            "sll2.pcap", "sll.pcap", "raw.pcap", "raw-sll2.pcap", "ipv4-options.pcap", "ipv6-exthdr.pcap",
            "ipv4-fragments.pcap", "ipv6-fragments.pcap", "truncated-ethernet.pcap", "truncated-sll2.pcap");

    private static FrameParser parser(LinkType linkType) {
        return linkType == LinkType.LINUX_SLL || linkType == LinkType.LINUX_SLL2
                ? FrameParser.cooked(linkType)
                : FrameParser.device(linkType, 2, FrameParser.ARPHRD_ETHER, 0x02_77_00_00_00_01L);
    }

    @Test
    void everyTruncationOfEveryFixtureFrame() {
        Random random = new Random(20240501);
        for (String name : FIXTURES) {
            PcapFrames fixture = PcapFrames.load(name);
            // Two parsers fed the same sequence: their fragment tables stay identical.
            FrameParser zeros = parser(fixture.linkType);
            FrameParser garbage = parser(fixture.linkType);
            for (PcapFrames.Frame frame : fixture.frames) {
                byte[] bytes = frame.bytes();
                for (int cut = 0; cut <= bytes.length; cut++) {
                    // The same captured bytes followed by zeros, or by random bytes: equal results
                    // prove nothing past the captured length was read.
                    byte[] padded = Arrays.copyOf(bytes, bytes.length + 64);
                    Arrays.fill(padded, cut, padded.length, (byte) 0);
                    byte[] noisy = padded.clone();
                    for (int i = cut; i < noisy.length; i++) {
                        noisy[i] = (byte) random.nextInt(256);
                    }
                    String expected = parse(zeros, padded, cut, frame.originalLength(), name);
                    String actual = parse(garbage, noisy, cut, frame.originalLength(), name);
                    assertEquals(expected, actual, name + " cut to " + cut + " read past the captured length");
                }
            }
        }
    }

    @Test
    void everyFixtureIsFuzzed() throws Exception {
        // A fixture added later must be added to FIXTURES too.
        try (Stream<Path> files = Files.list(Path.of(getClass().getResource("/frames").toURI()))) {
            Set<String> pcaps = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".pcap"))
                    .collect(Collectors.toSet());
            assertEquals(pcaps, Set.copyOf(FIXTURES));
        }
    }

    @Test
    void randomBytesAndCorruptedFixtureFrames() {
        Random random = new Random(7_700_123);
        for (LinkType linkType : LinkType.values()) {
            FrameParser parser = parser(linkType);
            for (int i = 0; i < 50_000; i++) {
                byte[] frame = new byte[random.nextInt(160)];
                random.nextBytes(frame);
                // Bias toward the values that send the parser deeper: IP versions and ethertypes.
                plant(frame, random);
                int captured = random.nextInt(frame.length + 8); // may claim more than the array holds
                parseChecked(parser, frame, captured, frame.length + random.nextInt(1600), linkType.name());
            }
        }
        // Real frames with a few bytes changed: valid outer headers around nonsense inner ones.
        for (String name : FIXTURES) {
            PcapFrames fixture = PcapFrames.load(name);
            FrameParser parser = parser(fixture.linkType);
            for (PcapFrames.Frame frame : fixture.frames) {
                for (int i = 0; i < 300; i++) {
                    byte[] bytes = frame.bytes().clone();
                    int changes = 1 + random.nextInt(4);
                    for (int c = 0; c < changes; c++) {
                        bytes[random.nextInt(Math.min(bytes.length, 96))] = (byte) random.nextInt(256);
                    }
                    parseChecked(parser, bytes, random.nextInt(bytes.length + 1), frame.originalLength(), name);
                }
            }
        }
    }

    // The smallest failing inputs FrameParserFuzzTest found in the parser as it was, kept as examples.

    @Test
    void aFrameShorterThanItsHeadersIsMalformedWhereTheSnapLengthCutsItIsTruncated() {
        FrameParser parser = FrameParser.cooked(LinkType.LINUX_SLL2);
        ParsedPacket p = new ParsedPacket();
        parser.parse(new byte[0], 0, 0, p);
        assertEquals("INCOMING if=0 hw=0 len=0 v0 malformed", PcapFrames.summary(p), "an empty frame: nothing was cut");
        parser.parse(new byte[0], 0, 60, p);
        assertEquals("INCOMING if=0 hw=0 len=40 v0 truncated", PcapFrames.summary(p), "60 bytes cut to none");
    }

    @Test
    void anOriginalLengthBelowTheCapturedOneIsNotBelieved() {
        // Was 2147483628 bytes: MIN_VALUE - 20 wrapped around.
        ParsedPacket p = new ParsedPacket();
        FrameParser.cooked(LinkType.LINUX_SLL2).parse(new byte[0], 0, Integer.MIN_VALUE, p);
        assertEquals(0, p.wireLength);
        // Was -8 bytes: a raw frame counts its original length, which said less than was captured.
        byte[] ipv4 = hexBytes("450000140000000040110000" + "0a000001" + "0a000002");
        FrameParser.device(LinkType.RAW, 3, 65534, -1).parse(ipv4, ipv4.length, -8, p);
        assertEquals(20, p.wireLength);
    }

    @Test
    void anSll2HeaderWithANegativeInterfaceIndexIsMalformed() {
        // The kernel's interface indexes are positive; this one was handed on as if2147483648-.
        byte[] frame = hexBytes("0000000080000000000000000000000000000000");
        ParsedPacket p = new ParsedPacket();
        FrameParser.cooked(LinkType.LINUX_SLL2).parse(frame, frame.length, frame.length, p);
        assertEquals("INCOMING if=0 hw=0 len=0 v0 malformed", PcapFrames.summary(p));
    }

    @Test
    void portsPastTheEndOfTheDatagramAreNotRead() {
        // An IPv4 header whose total length (20) leaves no room for the UDP header it announces:
        // the 8 bytes after it (zeros here, padding on a wire) were read as ports 0 > 0.
        byte[] frame = hexBytes("0800000000000001000100000000000000000000" + "45000014000000000011000000000000"
                + "00000000" + "0000000000000000");
        ParsedPacket p = new ParsedPacket();
        FrameParser.cooked(LinkType.LINUX_SLL2).parse(frame, frame.length, frame.length, p);
        assertEquals("INCOMING if=1 hw=1 len=42 v4 udp 0.0.0.0:0 > 0.0.0.0:0 malformed", PcapFrames.summary(p));
        assertTrue(!p.hasPorts());
    }

    private static byte[] hexBytes(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    /** Writes IPv4/IPv6 version nibbles, ethertypes and next-header values where parsers look. */
    private static void plant(byte[] frame, Random random) {
        int[] ethertypes = {0x0800, 0x86dd, 0x8100, 0x88a8, 0x9100};
        int[] nextHeaders = {0, 6, 17, 43, 44, 51, 60, 135, 139, 140};
        for (int offset : new int[] {0, 12, 14, 16, 18, 20, 22}) {
            if (offset + 1 < frame.length && random.nextBoolean()) {
                int type = ethertypes[random.nextInt(ethertypes.length)];
                frame[offset] = (byte) (type >>> 8);
                frame[offset + 1] = (byte) type;
            }
        }
        for (int offset : new int[] {0, 14, 16, 18, 20, 22}) {
            if (offset < frame.length && random.nextInt(3) == 0) {
                frame[offset] = (byte) (random.nextBoolean() ? 0x45 + random.nextInt(11) : 0x60);
            }
        }
        for (int offset : new int[] {6, 9, 20, 23, 26, 29, 54, 60, 62, 68}) {
            if (offset < frame.length && random.nextInt(3) == 0) {
                frame[offset] = (byte) nextHeaders[random.nextInt(nextHeaders.length)];
            }
        }
    }

    private static String parse(FrameParser parser, byte[] frame, int captured, int original, String what) {
        return PcapFrames.summary(parseChecked(parser, frame, captured, original, what));
    }

    private static ParsedPacket parseChecked(FrameParser parser, byte[] frame, int captured, int original,
            String what) {
        ParsedPacket p = new ParsedPacket();
        try {
            parser.parse(frame, captured, original, p);
        } catch (RuntimeException e) {
            fail(what + ": parse threw on captured=" + captured + " original=" + original + " frame="
                    + hex(frame), e);
        }
        assertTrue(p.wireLength >= 0, () -> what + ": negative wire length " + p + " for " + hex(frame));
        assertTrue(!p.truncated || !p.hasPorts(), () -> what + ": truncated with ports " + p);
        return p;
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }
}
