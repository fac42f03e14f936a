package io.podhogs.capture;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * The frames of one pcap fixture in {@code src/test/resources/frames} (its README.md says how each
 * was captured), read with pcap4j the way the capture loop gets them: captured bytes plus the
 * original length from the pcap record header.
 */
final class PcapFrames {
    /** One pcap record: {@code bytes.length} is the captured length. */
    record Frame(byte[] bytes, int originalLength) {
    }

    final String name;
    final LinkType linkType;
    final List<Frame> frames;

    private PcapFrames(String name, LinkType linkType, List<Frame> frames) {
        this.name = name;
        this.linkType = linkType;
        this.frames = frames;
    }

    static PcapFrames load(String name) {
        URL url = PcapFrames.class.getResource("/frames/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture frames/" + name);
        }
        try {
            PcapHandle handle = Pcaps.openOffline(Path.of(url.toURI()).toString());
            try {
                LinkType linkType = LinkType.ofDlt(handle.getDlt().value());
                List<Frame> frames = new ArrayList<>();
                for (byte[] bytes = handle.getNextRawPacket(); bytes != null; bytes = handle.getNextRawPacket()) {
                    // pcap4j keeps the record's original length (pcap_pkthdr.len) of the last packet read.
                    frames.add(new Frame(bytes, handle.getOriginalLength()));
                }
                return new PcapFrames(name, linkType, List.copyOf(frames));
            } finally {
                handle.close();
            }
        } catch (PcapNativeException | NotOpenException | URISyntaxException e) {
            throw new IllegalStateException("cannot read frames/" + name, e);
        }
    }

    /** Frame by its number as {@code tcpdump -#} prints it (from 1). */
    Frame frame(int number) {
        return frames.get(number - 1);
    }

    /** Parses every frame in file order with one parser (fragments depend on order) and describes each. */
    List<String> summaries(FrameParser parser) {
        return summaries(parser, IntStream.rangeClosed(1, frames.size()).toArray());
    }

    /**
     * Parses the given frames (numbers as tcpdump -# prints them) in the given order with one parser,
     * and describes each as "number: {@link #summary}".
     */
    List<String> summaries(FrameParser parser, int... numbers) {
        List<String> lines = new ArrayList<>();
        ParsedPacket p = new ParsedPacket();
        for (int n : numbers) {
            Frame f = frame(n);
            parser.parse(f.bytes(), f.bytes().length, f.originalLength(), p);
            lines.add(n + ": " + summary(p));
        }
        return lines;
    }

    /** The source MAC address of an Ethernet frame, as the 48-bit number FrameParser.device takes. */
    static long sourceMac(Frame f) {
        long mac = 0;
        for (int i = 6; i < 12; i++) {
            mac = mac << 8 | (f.bytes()[i] & 0xff);
        }
        return mac;
    }

    /**
     * Every field the parser sets, on one line, in an order close to {@code tcpdump -nn -e}:
     * {@code DIRECTION if=IFINDEX hw=ARPHRD len=WIRE vVERSION PROTO SRC:PORT > DST:PORT [TCP flags] truncated malformed orphan}.
     * Non-IP frames stop after the version ({@code v0}). IPv6 addresses are bracketed.
     */
    static String summary(ParsedPacket p) {
        StringBuilder s = new StringBuilder();
        s.append(p.direction).append(" if=").append(p.ifindex).append(" hw=").append(p.hardwareType)
                .append(" len=").append(p.wireLength).append(" v").append(p.ipVersion);
        if (p.ipVersion != 0) {
            s.append(' ').append(protocol(p.protocol)).append(' ')
                    .append(endpoint(p.srcHi, p.srcLo, p.srcPort)).append(" > ")
                    .append(endpoint(p.dstHi, p.dstLo, p.dstPort));
            if (p.protocol == ParsedPacket.TCP) {
                s.append(" [").append(tcpFlags(p.tcpFlags)).append(']');
            }
        }
        if (p.truncated) {
            s.append(" truncated");
        }
        if (p.malformed) {
            s.append(" malformed");
        }
        if (p.orphanFragment) {
            s.append(" orphan");
        }
        return s.toString();
    }

    private static String protocol(int protocol) {
        return switch (protocol) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmp6";
            default -> "proto=" + protocol;
        };
    }

    private static String endpoint(long hi, long lo, int port) {
        String address = Addresses.format(hi, lo);
        return (Addresses.isV4Mapped(hi, lo) ? address : "[" + address + "]") + ":" + port;
    }

    /** TCP flags the way tcpdump prints them (S, S., P., F. ...), in tcpdump's order. */
    private static String tcpFlags(int flags) {
        String letters = "FSRP.UEW"; // FIN, SYN, RST, PSH, ACK, URG, ECE, CWR: bits 0 to 7
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < letters.length(); i++) {
            if ((flags & 1 << i) != 0) {
                s.append(letters.charAt(i));
            }
        }
        return s.toString();
    }
}
