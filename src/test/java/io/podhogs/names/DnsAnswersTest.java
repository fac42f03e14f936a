package io.podhogs.names;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.capture.Addresses;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DNS answers as servers write them, and as a capture may hand them over: cut short, looping, made
 * up. The addresses come out under the name the client asked, or nothing does; never an exception.
 */
class DnsAnswersTest {
    private static final long EXAMPLE = Addresses.v4Lo(0x5db8d70e); // 93.184.215.14

    private static List<String> read(byte[] m) {
        return DnsAnswers.parse(m, 0, m.length).stream()
                .map(a -> a.name() + " " + Addresses.format(a.hi(), a.lo()) + " " + a.ttlSeconds()).toList();
    }

    @Test
    void anARecordUnderItsQuestionsName() {
        byte[] m = DnsMessages.response(0, 1, 1).question("WWW.Example.com").pointer(12).record(1, 300, 4)
                .bytes(93, 184, 215, 14).bytes();
        assertEquals(List.of("www.example.com 93.184.215.14 300"), read(m));
    }

    @Test
    void throughACnameTheAddressIsTheAskedNames() {
        DnsMessages m = DnsMessages.response(0, 1, 3).question("shop.example.com");
        int cnameAt = m.size();
        m.pointer(12).record(5, 60, 18).name("edge.cdn.example"); // 18 bytes: 4edge3cdn7example0
        m.pointer(cnameAt + 12).record(1, 20, 4).bytes(10, 1, 2, 3);
        m.pointer(cnameAt + 12).record(28, 20, 16).bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertEquals(List.of("shop.example.com 10.1.2.3 20", "shop.example.com 2001:db8:0:0:0:0:0:1 20"),
                read(m.bytes()));
    }

    @Test
    void queriesErrorsAndOtherClassesGiveNothing() {
        assertEquals(List.of(), read(DnsMessages.query("www.example.com").bytes()), "a query");
        assertEquals(List.of(), read(DnsMessages.response(3, 1, 0).question("nope.example.com").bytes()), "NXDOMAIN");
        byte[] chaos = DnsMessages.response(0, 1, 1).question("version.bind").pointer(12).u16(1).u16(3).u32(0)
                .u16(4).bytes(1, 2, 3, 4).bytes();
        assertEquals(List.of(), read(chaos), "class CH");
        byte[] wrongLength = DnsMessages.response(0, 1, 1).question("a.example").pointer(12).record(1, 5, 3)
                .bytes(1, 2, 3).bytes();
        assertEquals(List.of(), read(wrongLength), "an A record of 3 bytes");
    }

    @Test
    void aMessageCutShortGivesWhatCameBeforeTheCut() {
        DnsMessages m = DnsMessages.response(0, 1, 2).question("two.example");
        m.pointer(12).record(1, 9, 4).bytes(10, 0, 0, 1);
        m.pointer(12).record(1, 9, 4).bytes(10, 0, 0, 2);
        byte[] whole = m.bytes();
        assertEquals(2, read(whole).size());
        assertEquals(List.of("two.example 10.0.0.1 9"), read(Arrays.copyOf(whole, whole.length - 2)));
        for (int cut = 0; cut < whole.length; cut++) {
            DnsAnswers.parse(Arrays.copyOf(whole, cut), 0, cut); // no exception at any length
        }
    }

    @Test
    void pointersThatLoopOrPointOutsideEndTheParse() {
        byte[] loop = DnsMessages.response(0, 1, 1).pointer(12).u16(1).u16(1).bytes();
        assertEquals(List.of(), read(loop), "a question whose name points at itself");
        byte[] outside = DnsMessages.response(0, 1, 1).question("a.example").pointer(0x3fff).record(1, 1, 4)
                .bytes(1, 2, 3, 4).bytes();
        assertEquals(List.of(), read(outside));
    }

    @Test
    void aLabelsUnprintableBytesAreQuestionMarks() {
        byte[] m = DnsMessages.response(0, 1, 1).bytes(3, 'a', 0x1b, 'b', 0).u16(1).u16(1).pointer(12).record(1, 1, 4)
                .bytes(1, 2, 3, 4).bytes();
        assertEquals(List.of("a?b 1.2.3.4 1"), read(m), "an escape character never reaches a terminal");
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(19);
        byte[] valid = DnsMessages.response(0, 1, 1).question("www.example.com").pointer(12).record(1, 300, 4)
                .bytes(93, 184, 215, 14).bytes();
        for (int i = 0; i < 20_000; i++) {
            byte[] m = i % 2 == 0 ? new byte[12 + random.nextInt(600)] : valid.clone();
            if (i % 2 == 0) {
                random.nextBytes(m);
                m[2] |= (byte) 0x80; // a response, so the parse goes past the header
                m[3] &= (byte) 0xf0;
            } else {
                m[12 + random.nextInt(m.length - 12)] = (byte) random.nextInt(256);
            }
            DnsAnswers.parse(m, 0, m.length);
        }
        assertEquals(List.of("www.example.com 93.184.215.14 300"), read(valid));
        assertEquals(EXAMPLE, DnsAnswers.parse(valid, 0, valid.length).get(0).lo());
    }
}
