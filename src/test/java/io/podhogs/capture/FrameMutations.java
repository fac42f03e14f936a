package io.podhogs.capture;

import io.podhogs.testing.Draws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Inputs that are not well-formed: real frames from the fixtures (src/test/resources/frames) with
 * bytes, lengths and header fields changed, spliced or shifted, and plain garbage. Mutations favour
 * the values parsers branch on (ethertypes, version nibbles, header lengths, next headers).
 */
final class FrameMutations {
    /** Every fixture frame, by the link type of its file. */
    static final Map<LinkType, List<PcapFrames.Frame>> FIXTURES = load();

    private static final int[] INTERESTING_16 = {0, 1, 4, 5, 8, 19, 20, 39, 40, 0x45, 0x60, 0x0800, 0x86dd, 0x8100,
            0x88a8, 0x9100, 0x0806, 0x2000, 0x3fff, 0x7fff, 0x8000, 0xffff};
    private static final int[] INTERESTING_8 = {0, 1, 4, 6, 17, 43, 44, 51, 58, 60, 135, 139, 140, 0x40, 0x45, 0x46,
            0x4f, 0x60, 0x6f, 0x81, 0xff};

    private FrameMutations() {
    }

    private static Map<LinkType, List<PcapFrames.Frame>> load() {
        try (Stream<Path> files = Files.list(Path.of(FrameMutations.class.getResource("/frames").toURI()))) {
            List<PcapFrames> all = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".pcap")).sorted()
                    .map(PcapFrames::load).toList();
            return all.stream().collect(Collectors.groupingBy(f -> f.linkType,
                    Collectors.flatMapping(f -> f.frames.stream(), Collectors.toList())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A frame for {@code device}: a mutated fixture frame, garbage, or a well-formed one. */
    static FrameGen.Input any(Draws d, FrameGen.Device device) {
        return switch (d.below(4)) {
            case 0 -> FrameGen.wellFormed(d, device).input();
            case 1 -> garbage(d, device);
            default -> mutated(d, device);
        };
    }

    static FrameGen.Input garbage(Draws d, FrameGen.Device device) {
        byte[] bytes = d.bytes(128);
        int captured = d.oneIn(8) ? d.between(-4, bytes.length + 8) : bytes.length;
        return new FrameGen.Input(device, bytes, captured, originalLength(d, Math.max(0, captured)));
    }

    private static int originalLength(Draws d, int captured) {
        return switch (d.below(5)) {
            case 0, 1 -> captured;
            case 2 -> captured + d.below(1600);
            case 3 -> d.between(-8, captured); // shorter than captured: no pcap says so, but a caller might
            default -> d.pickInt(Integer.MAX_VALUE, 65535, 65536, Integer.MIN_VALUE);
        };
    }

    static FrameGen.Input mutated(Draws d, FrameGen.Device device) {
        List<PcapFrames.Frame> frames = FIXTURES.get(device.linkType());
        PcapFrames.Frame base = d.pick(frames);
        byte[] bytes = base.bytes().clone();
        int original = base.originalLength();
        int captured = bytes.length;
        int mutations = d.between(1, 4);
        for (int m = 0; m < mutations; m++) {
            switch (d.below(8)) {
                case 0 -> { // a random byte in the headers
                    if (bytes.length > 0) {
                        bytes[d.below(Math.min(bytes.length, 96))] = (byte) d.below(256);
                    }
                }
                case 1 -> { // a value parsers branch on
                    if (bytes.length > 0) {
                        bytes[d.below(Math.min(bytes.length, 96))] = (byte) d.pickInt(INTERESTING_8);
                    }
                }
                case 2 -> { // a length or type field
                    if (bytes.length > 1) {
                        int at = d.below(Math.min(bytes.length - 1, 95));
                        int v = d.pickInt(INTERESTING_16);
                        bytes[at] = (byte) (v >>> 8);
                        bytes[at + 1] = (byte) v;
                    }
                }
                case 3 -> captured = d.below(bytes.length + 1); // a snap length
                case 4 -> original = originalLength(d, captured);
                case 5 -> { // bytes removed: every header after shifts
                    if (bytes.length > 0) {
                        int at = d.below(bytes.length);
                        int n = d.between(1, Math.min(8, bytes.length - at));
                        bytes = remove(bytes, at, n);
                        captured = Math.min(captured, bytes.length);
                    }
                }
                case 6 -> { // bytes inserted
                    int at = d.below(bytes.length + 1);
                    byte[] more = new byte[d.between(1, 8)];
                    d.fill(more, 0, more.length);
                    bytes = insert(bytes, at, more);
                    captured = Math.min(bytes.length, captured + more.length);
                    original = Math.max(original, captured);
                }
                default -> { // another frame's tail after this one's head
                    PcapFrames.Frame other = d.pick(frames);
                    int cut = d.below(bytes.length + 1);
                    int from = d.below(other.bytes().length + 1);
                    byte[] spliced = Arrays.copyOf(bytes, cut + other.bytes().length - from);
                    System.arraycopy(other.bytes(), from, spliced, cut, other.bytes().length - from);
                    bytes = spliced;
                    captured = bytes.length;
                    original = Math.max(original, captured);
                }
            }
        }
        return new FrameGen.Input(device, bytes, captured, original);
    }

    private static byte[] remove(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte[] more) {
        byte[] out = new byte[b.length + more.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(more, 0, out, at, more.length);
        System.arraycopy(b, at, out, at + more.length, b.length - at);
        return out;
    }

    /** A run of frames for one parser, as a capture thread hands them. */
    record Run(FrameGen.Device device, List<FrameGen.Input> frames) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(device + ", " + frames.size() + " frames:");
            frames.forEach(f -> s.append("\n    ").append(f));
            return s.toString();
        }
    }

    static Run run(Draws d, int maxFrames) {
        FrameGen.Device device = FrameGen.device(d, FrameGen.linkType(d));
        int n = d.between(1, maxFrames);
        List<FrameGen.Input> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            frames.add(any(d, device));
        }
        return new Run(device, frames);
    }
}
