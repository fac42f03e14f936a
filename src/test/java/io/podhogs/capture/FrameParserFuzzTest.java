package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Fuzz;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FrameParser under generated input (FrameGen, FrameMutations): a well-formed frame of any link
 * type, however unusual, parses to exactly what it holds; anything else, mutated fixture frames and
 * garbage included, is counted, never thrown, and parses into values within their domains, read
 * from the captured bytes only; and no frame allocates. Budget: README, Test it.
 */
class FrameParserFuzzTest {
    @Test
    void aWellFormedFrameParsesToWhatItHolds() {
        Fuzz.forAll("a well-formed frame parses to what it holds", 3000, FrameGen::wellFormed, frame -> {
            FrameGen.Input in = frame.input();
            FrameGen.Expected e = frame.expected();
            ParsedPacket p = new ParsedPacket();
            in.device().parser().parse(in.bytes(), in.captured(), in.original(), p);
            FrameChecks.domains(in, p);
            assertFalse(p.malformed, "a well-formed frame is not malformed: " + p);
            assertFalse(p.orphanFragment, "first fragments only");
            int captured = in.captured();
            if (captured >= Math.max(1, e.linkHeader())) {
                assertEquals(e.ifindex(), p.ifindex, "ifindex");
                assertEquals(e.direction(), p.direction, "direction");
                assertEquals(e.linkSource(), p.linkSource, "link source");
            }
            if (captured >= e.addressesAt()) {
                assertEquals(e.ipVersion(), p.ipVersion, "IP version");
                assertEquals(List.of(e.srcHi(), e.srcLo(), e.dstHi(), e.dstLo()),
                        List.of(p.srcHi, p.srcLo, p.dstHi, p.dstLo), "addresses");
            }
            if (captured >= e.needed()) {
                assertFalse(p.truncated, "all it needed was captured: " + p);
                assertEquals(e.ipVersion(), p.ipVersion, "IP version");
                assertEquals(e.protocol(), p.protocol, "protocol");
                assertEquals(e.srcPort(), p.srcPort, "source port");
                assertEquals(e.dstPort(), p.dstPort, "destination port");
                assertEquals(captured > e.flagsAt() ? e.tcpFlags() : 0, p.tcpFlags, "TCP flags");
                boolean ports = e.protocol() == ParsedPacket.TCP || e.protocol() == ParsedPacket.UDP;
                assertEquals(ports, p.hasPorts(), "has ports");
            } else {
                assertTrue(p.truncated, "cut at " + captured + " before the " + e.needed() + " bytes it needs: " + p);
                assertFalse(p.hasPorts(), "ports from a cut frame");
            }
        });
    }

    @Test
    void portsAreReadFromInsideTheDatagramOnly() {
        // A frame whose IP length says the datagram ends before its ports: what follows is padding
        // or garbage, not the datagram's transport header.
        Fuzz.forAll("ports are read from inside the datagram only", 2000, d -> {
            FrameGen.Frame frame = FrameGen.wellFormed(d);
            FrameGen.Expected e = frame.expected();
            boolean ports = e.protocol() == ParsedPacket.TCP || e.protocol() == ParsedPacket.UDP;
            FrameGen.Input in = frame.input();
            if (!ports || in.captured() != in.original()) {
                return null; // not a frame this property is about
            }
            byte[] bytes = in.bytes().clone();
            int ip = e.addressesAt() - (e.ipVersion() == 4 ? 20 : 40);
            int transportEnd = e.needed() - ip; // from the start of the IP header
            if (e.ipVersion() == 4) {
                int length = d.between((bytes[ip] & 0x0f) * 4, transportEnd - 1);
                bytes[ip + 2] = (byte) (length >>> 8);
                bytes[ip + 3] = (byte) length;
            } else {
                int length = d.between(1, transportEnd - 40 - 1);
                bytes[ip + 4] = (byte) (length >>> 8);
                bytes[ip + 5] = (byte) length;
            }
            return new FrameGen.Input(in.device(), bytes, in.captured(), in.original());
        }, in -> {
            if (in == null) {
                return;
            }
            ParsedPacket p = new ParsedPacket();
            in.device().parser().parse(in.bytes(), in.captured(), in.original(), p);
            FrameChecks.domains(in, p);
            assertFalse(p.hasPorts(), "ports past the datagram's end: " + p);
            assertTrue(p.malformed, "a datagram too short for its headers is malformed: " + p);
        });
    }

    @Test
    void anyInputIsCountedInItsDomainAndReadOnlyWhereCaptured() {
        Fuzz.forAll("any input parses in its domain, from the captured bytes only", 1000,
                d -> FrameMutations.run(d, 12), run -> {
                    // Two parsers fed the same frames, one with zeros past the captured length and
                    // one with other bytes there: the same results, so nothing past it was read.
                    FrameParser parser = run.device().parser();
                    FrameParser twin = run.device().parser();
                    ParsedPacket p = new ParsedPacket();
                    ParsedPacket q = new ParsedPacket();
                    for (FrameGen.Input in : run.frames()) {
                        parser.parse(in.bytes(), in.captured(), in.original(), p);
                        FrameChecks.domains(in, p);
                        // The bytes the parser may read: what was captured, as far as the array holds.
                        int captured = Math.max(0, Math.min(in.captured(), in.bytes().length));
                        byte[] other = Arrays.copyOf(in.bytes(), in.bytes().length + 64);
                        for (int i = captured; i < other.length; i++) {
                            other[i] = (byte) (i * 31 + 7);
                        }
                        twin.parse(other, captured, in.original(), q);
                        assertEquals(PcapFrames.summary(p), PcapFrames.summary(q), "read past the captured length");
                        assertEquals(p.linkSource, q.linkSource, "read past the captured length");
                    }
                });
    }

    @Test
    void aFrameParsedWhereItLiesInABatchParsesAsItDoesAlone() {
        // The capture parses each frame in place among a batch's records (FrameBatch): other
        // frames' bytes before and after it must change nothing, and its offsets are the buffer's.
        Fuzz.forAll("a frame in a larger buffer parses as it does alone", 1000,
                d -> FrameMutations.run(d, 12), run -> {
                    FrameParser alone = run.device().parser();
                    FrameParser inPlace = run.device().parser();
                    ParsedPacket p = new ParsedPacket();
                    ParsedPacket q = new ParsedPacket();
                    int n = 0;
                    for (FrameGen.Input in : run.frames()) {
                        int captured = Math.max(0, Math.min(in.captured(), in.bytes().length));
                        int start = 1 + (n++ * 37) % 300;
                        byte[] records = new byte[start + captured + 64];
                        for (int i = 0; i < records.length; i++) {
                            records[i] = (byte) (i * 131 + 17);
                        }
                        System.arraycopy(in.bytes(), 0, records, start, captured);
                        alone.parse(in.bytes(), captured, in.original(), p);
                        inPlace.parse(records, start, captured, in.original(), q);
                        assertEquals(PcapFrames.summary(p), PcapFrames.summary(q), "in place at " + start);
                        assertEquals(p.linkSource, q.linkSource, "link source in place at " + start);
                        assertEquals(p.payloadOffset < 0 ? -1 : p.payloadOffset + start, q.payloadOffset, "payload offset");
                        assertEquals(p.payloadOffset < 0 ? p.payloadEnd : p.payloadEnd + start, q.payloadEnd, "payload end");
                        assertTrue(q.frame == records, "the packet names the buffer its offsets are in");
                    }
                });
    }

    @Test
    void aFragmentGetsItsOwnDatagramsPortsOrNone() {
        Fuzz.forAll("a fragment gets its own datagram's ports or none", 1000, d -> Fragments.mixed(d), run -> {
            FrameParser parser = run.device().parser();
            ParsedPacket p = new ParsedPacket();
            for (Fragments.Piece piece : run.pieces()) {
                FrameGen.Input in = piece.input();
                parser.parse(in.bytes(), in.captured(), in.original(), p);
                FrameChecks.domains(in, p);
                Fragments.Datagram g = piece.datagram();
                assertEquals(List.of(g.srcHi(), g.srcLo(), g.dstHi(), g.dstLo()),
                        List.of(p.srcHi, p.srcLo, p.dstHi, p.dstLo), "addresses");
                if (p.hasPorts()) {
                    assertEquals(List.of(g.protocol(), g.srcPort(), g.dstPort()), List.of(p.protocol, p.srcPort, p.dstPort),
                            "fragment " + piece.index() + " of " + g);
                }
                if (piece.index() == 0) {
                    assertTrue(p.hasPorts(), "the first fragment has the ports: " + p);
                }
            }
        });
    }

    @Test
    void theLaterFragmentsOfADatagramWhoseFirstWasSeenHaveItsPorts() {
        Fuzz.forAll("fragments after the first have its ports", 1000, d -> Fragments.single(d), run -> {
            FrameParser parser = run.device().parser();
            ParsedPacket p = new ParsedPacket();
            boolean firstSeen = false;
            for (Fragments.Piece piece : run.pieces()) {
                FrameGen.Input in = piece.input();
                parser.parse(in.bytes(), in.captured(), in.original(), p);
                Fragments.Datagram g = piece.datagram();
                firstSeen |= g.fragmented() && piece.index() == 0;
                if (g.fragmented()) {
                    assertEquals(!firstSeen, p.orphanFragment, "orphan only before the first: " + p);
                }
                assertTrue(p.orphanFragment || p.hasPorts(), "ports: " + p);
            }
        });
    }

    @Test
    void parsingAllocatesNothing() {
        // The packet path's rule, measured: the bytes this thread allocates while it parses a few
        // thousand generated frames of every kind (generated before, outside the measurement).
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Fuzz.forAll("parsing allocates nothing", 20, d -> {
            List<FrameMutations.Run> runs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                runs.add(FrameMutations.run(d, 20));
            }
            return runs;
        }, runs -> {
            FrameParser[] parsers = runs.stream().map(r -> r.device().parser()).toArray(FrameParser[]::new);
            ParsedPacket p = new ParsedPacket();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int r = 0; r < parsers.length; r++) {
                List<FrameGen.Input> frames = runs.get(r).frames();
                for (int i = 0; i < frames.size(); i++) {
                    FrameGen.Input in = frames.get(i);
                    parsers[r].parse(in.bytes(), in.captured(), in.original(), p);
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(0, allocated, "bytes allocated while parsing");
        });
    }
}
