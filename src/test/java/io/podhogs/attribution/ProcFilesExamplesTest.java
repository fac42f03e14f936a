package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.ParsedPacket;
import io.podhogs.identity.CgroupIdentity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The smallest inputs ProcFilesFuzzTest found that the /proc readers got wrong (each threw, or read
 * a value out of its domain), kept as examples.
 */
class ProcFilesExamplesTest {
    private static final String TCP_LINE =
            "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 241 1 0 100 0 0 10 0";

    @Test
    void aSocketLineWithAPortOrInodeOutOfRangeIsSkipped() {
        assertEquals(2024, ProcNetParser.parseLine(ParsedPacket.TCP, TCP_LINE).localPort());
        // Was port 415030: five hex digits.
        assertNull(ProcNetParser.parseLine(ParsedPacket.TCP, TCP_LINE.replace("00000000:07E8", "00000000:65536")));
        // Was inode -9223372036854775808.
        assertNull(ProcNetParser.parseLine(ParsedPacket.TCP, TCP_LINE.replace(" 241 ", " 9223372036854775808 ")));
        assertNull(ProcNetParser.parseLine(ParsedPacket.TCP, TCP_LINE.replace(" 241 ", " -241 ")));
    }

    @Test
    void aSocketOfAUidAbove2To31IsKeptAsSockDiagGivesIt() {
        // Was skipped whole (Integer.parseInt): a socket of a high uid (user namespaces) had no owner.
        SocketEntry e = ProcNetParser.parseLine(ParsedPacket.TCP, TCP_LINE.replace("    0        0 241", " 4294967294 0 241"));
        assertEquals(-2, e.uid());
        assertEquals(241, e.inode());
    }

    private static Set<Object> conntrack(String line) {
        Set<Object> into = new HashSet<>();
        parseInto(line, into);
        return into;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void parseInto(String line, Set<Object> into) {
        NatTable.parse(line, (Set) into);
    }

    @Test
    void aConntrackLineIsReadFromLiteralsAndWholeTuplesOnly() {
        String snat = "ipv4 2 tcp 6 431999 ESTABLISHED src=10.244.1.5 dst=93.184.216.34 sport=41000 dport=443"
                + " src=93.184.216.34 dst=192.168.1.10 sport=443 dport=41000 [ASSURED] mark=0 zone=0 use=2";
        assertEquals(1, conntrack(snat).size());
        // Was 127.0.0.1: the JDK takes "" for loopback, and looks a name up in DNS.
        assertEquals(Set.of(), conntrack(snat.replace("dst=192.168.1.10", "dst=")));
        assertEquals(Set.of(), conntrack(snat.replace("dst=192.168.1.10", "dst=localhost")));
        assertEquals(Set.of(), conntrack(snat.replace("dst=192.168.1.10", "dst=192.168.1.010")));
        // Was a NullPointerException: a reply tuple without its destination.
        assertEquals(Set.of(), conntrack(snat.replace(" dst=192.168.1.10", "")));
        assertEquals(Set.of(), conntrack(snat.replace("dport=41000 [", "dport=141000 [")));
    }

    @Test
    void localAddressesSkipWhatIsNotOne() {
        // Was a NumberFormatException out of HostAddresses.read, and an IllegalArgumentException.
        HostAddresses.parse(List.of("|-- localhost", "/32 host LOCAL"), List.of(":0000000000000000000000000000001 01 80 10 80 lo"));
    }

    @Test
    void interfaceIndexesAndNamespaceInodesArePositive() {
        // Was index 0, and inode -5.
        assertEquals(Set.of(), NetnsRegistry.interfaceIndexes(List.of("0    eth0  1 0 333300000001"), List.of(),
                List.of("0\tlo        :     1      V3")));
        assertEquals(-1, NetnsRegistry.netnsInode("net:[-5]"));
    }

    @Test
    void aProcessReadsOnlyWhatItsFilesHold() {
        // Was a StringIndexOutOfBoundsException: nothing after the name's ')'.
        assertEquals(-1, ProcessReader.startTimeOf("1 (x)"));
        String stat = "4242 (x) S 1 4242 4242 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 991234 1";
        // Was uid -5.
        assertEquals(-1, ProcessReader.parse(4242, stat, List.of("Uid:\t-5\t-5\t-5\t-5"), "x", "", List.of())
                .orElseThrow().uid());
        // Was "a\0b" when argv was empty: the kernel keeps a name up to its first NUL. Argv's other
        // control characters stay as they are (RowFormat makes them printable; JSON escapes them).
        ProcessInfo p = ProcessReader.parse(4242, stat, List.of(), "a\0b\n", "", List.of()).orElseThrow();
        assertEquals(List.of("a", "a", "a"), List.of(p.program(), p.commandLine(), p.comm()));
        ProcessInfo q = ProcessReader.parse(4242, stat, List.of(), "x", "evil\nname\0--x\0", List.of()).orElseThrow();
        assertEquals(List.of("evil\nname", "evil\nname --x"), List.of(q.program(), q.commandLine()));
        assertFalse(q.commandLine().contains("\0"));
        assertTrue(p.cgroup() == CgroupIdentity.NONE);
    }
}
