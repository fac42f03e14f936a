package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FrameParser against real frames captured on this kind of machine (src/test/resources/frames,
 * README.md there). Each table is one line per frame, numbered as {@code tcpdump -# -nn -e -v -r FILE}
 * numbers them, with the values tcpdump shows for the same frame: its direction (Out/In/B/M/P on
 * cooked captures, the MAC addresses on Ethernet), ifindex, the protocol, addresses and ports.
 *
 * <p>Where the fixtures were captured: namespace phfx-a, lo ifindex 1, veth ph-va ifindex 2 with MAC
 * 02:77:00:00:00:01 (10.77.1.1, fd77::1), tun ph-tun ifindex 3 (10.77.2.1, fd77:2::1). The peer
 * phfx-b has ph-vb 02:77:00:00:00:02 (10.77.1.2, fd77::2).
 *
 * <p>wireLength: Ethernet and raw IP frames count their original length; cooked frames replace the
 * cooked header (SLL2 20 bytes, SLL 16) with the device's link header (14 on Ethernet and loopback,
 * 0 on a tun), so a frame counts the same bytes whichever way it was captured.
 */
class FrameParserFixtureTest {
    private static final int VETH_IFINDEX = 2;
    private static final long VETH_MAC = 0x02_77_00_00_00_01L;
    private static final int TUN_IFINDEX = 3;
    /** ARPHRD_NONE: what a tun device reports, and what SLL2 carries for it. */
    private static final int ARPHRD_NONE = 65534;

    private static FrameParser vethParser() {
        return FrameParser.device(LinkType.ETHERNET, VETH_IFINDEX, FrameParser.ARPHRD_ETHER, VETH_MAC);
    }

    private static PcapFrames load(String name, LinkType expectedLinkType) {
        PcapFrames fixture = PcapFrames.load(name);
        assertEquals(expectedLinkType, fixture.linkType, name + " link type");
        return fixture;
    }

    /** Compares whole tables at once so a failure shows every differing frame. */
    private static void assertFrames(String expected, List<String> actual) {
        assertEquals(expected.strip(), String.join("\n", actual));
    }

    @Test
    void ethernetArpUdpTcpOverIpv4AndIpv6() {
        PcapFrames fixture = load("ethernet.pcap", LinkType.ETHERNET);
        // Frame 1 is the ARP request ph-va broadcast: its source is the MAC the device parser needs.
        assertEquals(VETH_MAC, PcapFrames.sourceMac(fixture.frame(1)));
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=42 v0
                2: INCOMING if=2 hw=1 len=42 v0
                3: OUTGOING if=2 hw=1 len=74 v4 udp 10.77.1.1:40001 > 10.77.1.2:5001
                4: OUTGOING if=2 hw=1 len=74 v4 tcp 10.77.1.1:40002 > 10.77.1.2:7001 [S]
                5: INCOMING if=2 hw=1 len=74 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40002 [S.]
                6: OUTGOING if=2 hw=1 len=66 v4 tcp 10.77.1.1:40002 > 10.77.1.2:7001 [.]
                7: OUTGOING if=2 hw=1 len=71 v4 tcp 10.77.1.1:40002 > 10.77.1.2:7001 [P.]
                8: INCOMING if=2 hw=1 len=66 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40002 [.]
                9: OUTGOING if=2 hw=1 len=66 v4 tcp 10.77.1.1:40002 > 10.77.1.2:7001 [F.]
                10: INCOMING if=2 hw=1 len=66 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40002 [F.]
                11: OUTGOING if=2 hw=1 len=66 v4 tcp 10.77.1.1:40002 > 10.77.1.2:7001 [.]
                12: OUTGOING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:1]:40003 > [fd77:0:0:0:0:0:0:2]:7001 [S]
                13: INCOMING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:2]:7001 > [fd77:0:0:0:0:0:0:1]:40003 [S.]
                14: OUTGOING if=2 hw=1 len=86 v6 tcp [fd77:0:0:0:0:0:0:1]:40003 > [fd77:0:0:0:0:0:0:2]:7001 [.]
                15: OUTGOING if=2 hw=1 len=91 v6 tcp [fd77:0:0:0:0:0:0:1]:40003 > [fd77:0:0:0:0:0:0:2]:7001 [P.]
                16: INCOMING if=2 hw=1 len=86 v6 tcp [fd77:0:0:0:0:0:0:2]:7001 > [fd77:0:0:0:0:0:0:1]:40003 [.]
                17: OUTGOING if=2 hw=1 len=86 v6 tcp [fd77:0:0:0:0:0:0:1]:40003 > [fd77:0:0:0:0:0:0:2]:7001 [F.]
                18: INCOMING if=2 hw=1 len=86 v6 tcp [fd77:0:0:0:0:0:0:2]:7001 > [fd77:0:0:0:0:0:0:1]:40003 [F.]
                19: OUTGOING if=2 hw=1 len=86 v6 tcp [fd77:0:0:0:0:0:0:1]:40003 > [fd77:0:0:0:0:0:0:2]:7001 [.]
                20: OTHER_HOST if=2 hw=1 len=49 v4 udp 10.77.1.2:9999 > 10.77.1.99:9999
                """, fixture.summaries(vethParser()));
    }

    @Test
    void ethernetWithoutDeviceMacCannotTellOutgoing() {
        // A per-device parser that does not know the MAC counts every frame as received.
        PcapFrames fixture = load("ethernet.pcap", LinkType.ETHERNET);
        assertFrames("""
                1: INCOMING if=2 hw=1 len=42 v0
                3: INCOMING if=2 hw=1 len=74 v4 udp 10.77.1.1:40001 > 10.77.1.2:5001
                20: INCOMING if=2 hw=1 len=49 v4 udp 10.77.1.2:9999 > 10.77.1.99:9999
                """, fixture.summaries(FrameParser.device(LinkType.ETHERNET, VETH_IFINDEX, 0, -1), 1, 3, 20));
    }

    @Test
    void vlanTaggedEthernet() {
        // tcpdump -e: vlan 100 IPv4, vlan 100 IPv6, then 802.1ad vlan 300 around 802.1Q vlan 30.
        // The tags are part of the frame, so of its length.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=53 v4 udp 10.77.100.1:40100 > 10.77.100.2:5100
                2: INCOMING if=2 hw=1 len=73 v6 udp [fd77:100:0:0:0:0:0:2]:40101 > [fd77:100:0:0:0:0:0:1]:5100
                3: INCOMING if=2 hw=1 len=57 v4 udp 10.77.30.2:40030 > 10.77.30.1:5030
                """, load("vlan.pcap", LinkType.ETHERNET).summaries(vethParser()));
    }

    @Test
    void vlanTaggedFramesOnTheAnyDevice() {
        // The same three frames through the any device: the kernel holds the outer tag as metadata
        // and libpcap does not put it back in a cooked header, so frames 1 and 2 arrive untagged
        // (4 bytes shorter than on the wire). Frame 3 keeps its inner 802.1Q tag in the payload
        // while the SLL2 protocol says IPv4 (tcpdump: "IP0 (invalid)"): a version-0 "IPv4" header,
        // counted as malformed.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=49 v4 udp 10.77.100.1:40100 > 10.77.100.2:5100
                2: INCOMING if=2 hw=1 len=69 v6 udp [fd77:100:0:0:0:0:0:2]:40101 > [fd77:100:0:0:0:0:0:1]:5100
                3: INCOMING if=2 hw=1 len=53 v4 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 malformed
                """, load("vlan-sll2.pcap", LinkType.LINUX_SLL2).summaries(FrameParser.cooked(LinkType.LINUX_SLL2)));
    }

    /**
     * sll2.pcap and sll.pcap hold the same traffic; both must count the same wire lengths. Loopback
     * frames count no link header: lo's own counters leave it out (HostTrafficTest checks that).
     */
    private static final String ANY_DEVICE_FRAMES = """
            1: OUTGOING if=%1$d hw=1 len=50 v4 udp 10.77.1.1:40201 > 10.77.1.2:5002
            2: INCOMING if=%1$d hw=1 len=50 v4 udp 10.77.1.2:40202 > 10.77.1.1:5002
            3: OUTGOING if=%1$d hw=1 len=70 v6 udp [fd77:0:0:0:0:0:0:1]:40203 > [fd77:0:0:0:0:0:0:2]:5002
            4: INCOMING if=%1$d hw=1 len=70 v6 udp [fd77:0:0:0:0:0:0:2]:40204 > [fd77:0:0:0:0:0:0:1]:5002
            5: INCOMING if=%1$d hw=1 len=50 v4 udp 10.77.1.2:40205 > 10.77.1.255:5002
            6: INCOMING if=%1$d hw=1 len=50 v4 udp 10.77.1.2:40209 > 239.77.1.1:5002
            7: OTHER_HOST if=%1$d hw=1 len=49 v4 udp 10.77.1.2:9999 > 10.77.1.99:9999
            8: LOOPBACK if=%2$d hw=772 len=36 v4 udp 127.0.0.1:40206 > 127.0.0.1:5002
            9: LOOPBACK if=%2$d hw=772 len=56 v6 udp [0:0:0:0:0:0:0:1]:40207 > [0:0:0:0:0:0:0:1]:5002
            10: OUTGOING if=%1$d hw=1 len=74 v4 tcp 10.77.1.1:40208 > 10.77.1.2:7001 [S]
            11: INCOMING if=%1$d hw=1 len=74 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40208 [S.]
            12: OUTGOING if=%1$d hw=1 len=66 v4 tcp 10.77.1.1:40208 > 10.77.1.2:7001 [.]
            13: OUTGOING if=%1$d hw=1 len=71 v4 tcp 10.77.1.1:40208 > 10.77.1.2:7001 [P.]
            14: INCOMING if=%1$d hw=1 len=66 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40208 [.]
            15: OUTGOING if=%1$d hw=1 len=66 v4 tcp 10.77.1.1:40208 > 10.77.1.2:7001 [F.]
            16: INCOMING if=%1$d hw=1 len=66 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40208 [F.]
            17: OUTGOING if=%1$d hw=1 len=66 v4 tcp 10.77.1.1:40208 > 10.77.1.2:7001 [.]
            """;

    @Test
    void linuxSll2OnTheAnyDevice() {
        // Packet types Out, In, In, In, B, M, P, lo In (libpcap drops lo's outgoing copy), then TCP.
        // SLL2 names the interface: 2 for ph-va, 1 for lo.
        assertFrames(ANY_DEVICE_FRAMES.formatted(VETH_IFINDEX, 1),
                load("sll2.pcap", LinkType.LINUX_SLL2).summaries(FrameParser.cooked(LinkType.LINUX_SLL2)));
    }

    @Test
    void linuxSllOnTheAnyDevice() {
        // SLL v1 has no interface index: the any-device parser reports 0 ...
        PcapFrames fixture = load("sll.pcap", LinkType.LINUX_SLL);
        assertFrames(ANY_DEVICE_FRAMES.formatted(0, 0), fixture.summaries(FrameParser.cooked(LinkType.LINUX_SLL)));
        // ... and a parser for one named device reports that device's (AnyDeviceCapture on old libpcap).
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=50 v4 udp 10.77.1.1:40201 > 10.77.1.2:5002
                """, fixture.summaries(FrameParser.device(LinkType.LINUX_SLL, VETH_IFINDEX, 0, -1), 1));
    }

    @Test
    void rawIpOnATunDevice() {
        // DLT_RAW frames carry no direction: the parser's documented default is INCOMING, even for
        // frames 1 and 3 which tcpdump on the any device (below) shows as Out.
        assertFrames("""
                1: INCOMING if=3 hw=65534 len=32 v4 udp 10.77.2.1:40301 > 10.77.2.2:5003
                2: INCOMING if=3 hw=65534 len=32 v4 udp 10.77.2.2:5003 > 10.77.2.1:40301
                3: INCOMING if=3 hw=65534 len=52 v6 udp [fd77:2:0:0:0:0:0:1]:40301 > [fd77:2:0:0:0:0:0:2]:5003
                4: INCOMING if=3 hw=65534 len=52 v6 udp [fd77:2:0:0:0:0:0:2]:5003 > [fd77:2:0:0:0:0:0:1]:40301
                """, load("raw.pcap", LinkType.RAW).summaries(
                        FrameParser.device(LinkType.RAW, TUN_IFINDEX, ARPHRD_NONE, -1)));
    }

    @Test
    void rawIpDeviceOnTheAnyDevice() {
        // A tun has no link header: wireLength is the SLL2 length minus the 20-byte cooked header,
        // the same as the raw capture of the same packets above.
        assertFrames("""
                1: OUTGOING if=3 hw=65534 len=32 v4 udp 10.77.2.1:40301 > 10.77.2.2:5003
                2: INCOMING if=3 hw=65534 len=32 v4 udp 10.77.2.2:5003 > 10.77.2.1:40301
                3: OUTGOING if=3 hw=65534 len=52 v6 udp [fd77:2:0:0:0:0:0:1]:40301 > [fd77:2:0:0:0:0:0:2]:5003
                4: INCOMING if=3 hw=65534 len=52 v6 udp [fd77:2:0:0:0:0:0:2]:5003 > [fd77:2:0:0:0:0:0:1]:40301
                """, load("raw-sll2.pcap", LinkType.LINUX_SLL2).summaries(FrameParser.cooked(LinkType.LINUX_SLL2)));
    }

    @Test
    void ipv4HeadersWithOptions() {
        // Frame 1: record route (IHL 15, a 60-byte header); 2: four NOPs (IHL 6); 3 to 10: a TCP
        // connection whose outgoing segments carry the NOPs and whose replies have none.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=90 v4 udp 10.77.1.1:40401 > 10.77.1.2:5004
                2: OUTGOING if=2 hw=1 len=54 v4 udp 10.77.1.1:40402 > 10.77.1.2:5004
                3: OUTGOING if=2 hw=1 len=78 v4 tcp 10.77.1.1:40403 > 10.77.1.2:7001 [S]
                4: INCOMING if=2 hw=1 len=74 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40403 [S.]
                5: OUTGOING if=2 hw=1 len=70 v4 tcp 10.77.1.1:40403 > 10.77.1.2:7001 [.]
                6: OUTGOING if=2 hw=1 len=75 v4 tcp 10.77.1.1:40403 > 10.77.1.2:7001 [P.]
                7: INCOMING if=2 hw=1 len=66 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40403 [.]
                8: OUTGOING if=2 hw=1 len=70 v4 tcp 10.77.1.1:40403 > 10.77.1.2:7001 [F.]
                9: INCOMING if=2 hw=1 len=66 v4 tcp 10.77.1.2:7001 > 10.77.1.1:40403 [F.]
                10: OUTGOING if=2 hw=1 len=70 v4 tcp 10.77.1.1:40403 > 10.77.1.2:7001 [.]
                """, load("ipv4-options.pcap", LinkType.ETHERNET).summaries(vethParser()));
    }

    @Test
    void ipv6ExtensionHeaders() {
        // Frame 1: hop-by-hop; 2: destination options; 3: both; 4 to 11: TCP whose outgoing
        // segments carry hop-by-hop options and whose replies do not.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=78 v6 udp [fd77:0:0:0:0:0:0:1]:40501 > [fd77:0:0:0:0:0:0:2]:5005
                2: OUTGOING if=2 hw=1 len=78 v6 udp [fd77:0:0:0:0:0:0:1]:40502 > [fd77:0:0:0:0:0:0:2]:5005
                3: OUTGOING if=2 hw=1 len=86 v6 udp [fd77:0:0:0:0:0:0:1]:40503 > [fd77:0:0:0:0:0:0:2]:5005
                4: OUTGOING if=2 hw=1 len=102 v6 tcp [fd77:0:0:0:0:0:0:1]:40504 > [fd77:0:0:0:0:0:0:2]:7001 [S]
                5: INCOMING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:2]:7001 > [fd77:0:0:0:0:0:0:1]:40504 [S.]
                6: OUTGOING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:1]:40504 > [fd77:0:0:0:0:0:0:2]:7001 [.]
                7: OUTGOING if=2 hw=1 len=99 v6 tcp [fd77:0:0:0:0:0:0:1]:40504 > [fd77:0:0:0:0:0:0:2]:7001 [P.]
                8: INCOMING if=2 hw=1 len=86 v6 tcp [fd77:0:0:0:0:0:0:2]:7001 > [fd77:0:0:0:0:0:0:1]:40504 [.]
                9: OUTGOING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:1]:40504 > [fd77:0:0:0:0:0:0:2]:7001 [F.]
                10: INCOMING if=2 hw=1 len=86 v6 tcp [fd77:0:0:0:0:0:0:2]:7001 > [fd77:0:0:0:0:0:0:1]:40504 [F.]
                11: OUTGOING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:1]:40504 > [fd77:0:0:0:0:0:0:2]:7001 [.]
                """, load("ipv6-exthdr.pcap", LinkType.ETHERNET).summaries(vethParser()));
    }

    @Test
    void ipv4FragmentsInOrderCarryTheFirstFragmentsPorts() {
        // Two 3000-byte datagrams (IP ids differ), three fragments each: offsets 0, 1480, 2960.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=1514 v4 udp 10.77.1.1:40601 > 10.77.1.2:5006
                2: OUTGOING if=2 hw=1 len=1514 v4 udp 10.77.1.1:40601 > 10.77.1.2:5006
                3: OUTGOING if=2 hw=1 len=82 v4 udp 10.77.1.1:40601 > 10.77.1.2:5006
                4: OUTGOING if=2 hw=1 len=1514 v4 udp 10.77.1.1:40602 > 10.77.1.2:5006
                5: OUTGOING if=2 hw=1 len=1514 v4 udp 10.77.1.1:40602 > 10.77.1.2:5006
                6: OUTGOING if=2 hw=1 len=82 v4 udp 10.77.1.1:40602 > 10.77.1.2:5006
                """, load("ipv4-fragments.pcap", LinkType.ETHERNET).summaries(vethParser()));
    }

    @Test
    void ipv4FragmentsWithoutTheirFirstFragmentAreOrphans() {
        PcapFrames fixture = load("ipv4-fragments.pcap", LinkType.ETHERNET);
        // A fresh parser never saw frame 1.
        assertFrames("""
                2: OUTGOING if=2 hw=1 len=1514 v4 udp 10.77.1.1:0 > 10.77.1.2:0 orphan
                3: OUTGOING if=2 hw=1 len=82 v4 udp 10.77.1.1:0 > 10.77.1.2:0 orphan
                """, fixture.summaries(vethParser(), 2, 3));
        // The first fragment of the other datagram (another IP id) does not lend its ports.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=1514 v4 udp 10.77.1.1:40601 > 10.77.1.2:5006
                5: OUTGOING if=2 hw=1 len=1514 v4 udp 10.77.1.1:0 > 10.77.1.2:0 orphan
                2: OUTGOING if=2 hw=1 len=1514 v4 udp 10.77.1.1:40601 > 10.77.1.2:5006
                """, fixture.summaries(vethParser(), 1, 5, 2));
    }

    @Test
    void ipv6FragmentsInOrderCarryTheFirstFragmentsPorts() {
        // Four 3000-byte datagrams over a 1280-byte MTU, three fragments each:
        // 1-3 plain; 4-6 destination options before the Fragment header (as Linux sends them);
        // 7-9 hop-by-hop before the Fragment header; 10-12 destination options after the Fragment
        // header (RFC 8200 order, written by a packet socket): in 11 and 12 the bytes after the
        // Fragment header are the middle of the datagram, not a header.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:40701 > [fd77:0:0:0:0:0:0:2]:5007
                2: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:40701 > [fd77:0:0:0:0:0:0:2]:5007
                3: OUTGOING if=2 hw=1 len=606 v6 udp [fd77:0:0:0:0:0:0:1]:40701 > [fd77:0:0:0:0:0:0:2]:5007
                4: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:40702 > [fd77:0:0:0:0:0:0:2]:5007
                5: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:40702 > [fd77:0:0:0:0:0:0:2]:5007
                6: OUTGOING if=2 hw=1 len=630 v6 udp [fd77:0:0:0:0:0:0:1]:40702 > [fd77:0:0:0:0:0:0:2]:5007
                7: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:40703 > [fd77:0:0:0:0:0:0:2]:5007
                8: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:40703 > [fd77:0:0:0:0:0:0:2]:5007
                9: OUTGOING if=2 hw=1 len=630 v6 udp [fd77:0:0:0:0:0:0:1]:40703 > [fd77:0:0:0:0:0:0:2]:5007
                10: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:40704 > [fd77:0:0:0:0:0:0:2]:5007
                11: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:40704 > [fd77:0:0:0:0:0:0:2]:5007
                12: OUTGOING if=2 hw=1 len=614 v6 udp [fd77:0:0:0:0:0:0:1]:40704 > [fd77:0:0:0:0:0:0:2]:5007
                """, load("ipv6-fragments.pcap", LinkType.ETHERNET).summaries(vethParser()));
    }

    @Test
    void ipv6FragmentsWithoutTheirFirstFragmentAreOrphans() {
        // Non-first fragments alone: no ports. The protocol is the Fragment header's next header:
        // UDP, or 60 where destination options start the fragmentable part (frame 11).
        assertFrames("""
                2: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 orphan
                5: OUTGOING if=2 hw=1 len=1294 v6 udp [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 orphan
                9: OUTGOING if=2 hw=1 len=630 v6 udp [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 orphan
                11: OUTGOING if=2 hw=1 len=1294 v6 proto=60 [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 orphan
                """, load("ipv6-fragments.pcap", LinkType.ETHERNET).summaries(vethParser(), 2, 5, 9, 11));
    }

    @Test
    void snapLengthCutsEthernetFrames() {
        // Captured with snap length 58 (tcpdump -s 58): 14 Ethernet + 44 bytes.
        PcapFrames fixture = load("truncated-ethernet.pcap", LinkType.ETHERNET);
        assertEquals(58, fixture.frame(3).bytes().length);
        assertEquals(90, fixture.frame(3).originalLength());
        // 1: whole (50 bytes). 2, 4, 6, 8: B's ICMP errors: ICMP needs no more than the IP header.
        // 3: a 60-byte IPv4 header (record route): the UDP ports are past the cut.
        // 5: the IPv6 header and exactly the 4 bytes of ports fit.
        // 7: the hop-by-hop header is cut (tcpdump: [|hbhopt]): protocol unknown past it.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=50 v4 udp 10.77.1.1:40801 > 10.77.1.2:5008
                2: INCOMING if=2 hw=1 len=78 v4 icmp 10.77.1.2:0 > 10.77.1.1:0
                3: OUTGOING if=2 hw=1 len=90 v4 udp 10.77.1.1:0 > 10.77.1.2:0 truncated
                4: INCOMING if=2 hw=1 len=158 v4 icmp 10.77.1.2:0 > 10.77.1.1:0
                5: OUTGOING if=2 hw=1 len=70 v6 udp [fd77:0:0:0:0:0:0:1]:40803 > [fd77:0:0:0:0:0:0:2]:5008
                6: INCOMING if=2 hw=1 len=118 v6 icmp6 [fd77:0:0:0:0:0:0:2]:0 > [fd77:0:0:0:0:0:0:1]:0
                7: OUTGOING if=2 hw=1 len=78 v6 proto=0 [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 truncated
                8: INCOMING if=2 hw=1 len=126 v6 icmp6 [fd77:0:0:0:0:0:0:2]:0 > [fd77:0:0:0:0:0:0:1]:0
                """, fixture.summaries(vethParser()));
    }

    @Test
    void snapLengthCutsCookedFrames() {
        // The same traffic on the any device with snap length 40: 20 SLL2 + 20 bytes, one IPv4
        // header without options. Wire lengths still come from the original length.
        PcapFrames fixture = load("truncated-sll2.pcap", LinkType.LINUX_SLL2);
        assertEquals(40, fixture.frame(1).bytes().length);
        assertEquals(56, fixture.frame(1).originalLength());
        // 1, 3: UDP ports past the cut. 2, 4: ICMP, nothing more needed. 5-8: the IPv6 header is cut.
        assertFrames("""
                1: OUTGOING if=2 hw=1 len=50 v4 udp 10.77.1.1:0 > 10.77.1.2:0 truncated
                2: INCOMING if=2 hw=1 len=78 v4 icmp 10.77.1.2:0 > 10.77.1.1:0
                3: OUTGOING if=2 hw=1 len=90 v4 udp 10.77.1.1:0 > 10.77.1.2:0 truncated
                4: INCOMING if=2 hw=1 len=158 v4 icmp 10.77.1.2:0 > 10.77.1.1:0
                5: OUTGOING if=2 hw=1 len=70 v6 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
                6: INCOMING if=2 hw=1 len=118 v6 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
                7: OUTGOING if=2 hw=1 len=78 v6 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
                8: INCOMING if=2 hw=1 len=126 v6 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
                """, fixture.summaries(FrameParser.cooked(LinkType.LINUX_SLL2)));
    }

    /** The parser each fixture's capture would use. */
    private static FrameParser parserFor(LinkType linkType) {
        return switch (linkType) {
            case ETHERNET -> vethParser();
            case RAW -> FrameParser.device(LinkType.RAW, TUN_IFINDEX, ARPHRD_NONE, -1);
            case LINUX_SLL, LINUX_SLL2 -> FrameParser.cooked(linkType);
        };
    }

    /**
     * Real frames cut just before and at the byte where each header becomes complete: one byte
     * short is truncated (with what was understood so far), the exact length is not.
     */
    @ParameterizedTest(name = "{0} frame {1} cut to {2} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            # Ethernet, IPv4 UDP (74 bytes). Shorter than the Ethernet header: no direction either.
            ethernet.pcap     |  3 |  0 | INCOMING if=2 hw=1 len=74 v0 truncated
            ethernet.pcap     |  3 | 13 | INCOMING if=2 hw=1 len=74 v0 truncated
            ethernet.pcap     |  3 | 33 | OUTGOING if=2 hw=1 len=74 v4 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
            ethernet.pcap     |  3 | 34 | OUTGOING if=2 hw=1 len=74 v4 udp 10.77.1.1:0 > 10.77.1.2:0 truncated
            ethernet.pcap     |  3 | 37 | OUTGOING if=2 hw=1 len=74 v4 udp 10.77.1.1:0 > 10.77.1.2:0 truncated
            ethernet.pcap     |  3 | 38 | OUTGOING if=2 hw=1 len=74 v4 udp 10.77.1.1:40001 > 10.77.1.2:5001
            # IPv4 with a 60-byte header: the ports start at 14 + 60.
            ipv4-options.pcap |  1 | 77 | OUTGOING if=2 hw=1 len=90 v4 udp 10.77.1.1:0 > 10.77.1.2:0 truncated
            ipv4-options.pcap |  1 | 78 | OUTGOING if=2 hw=1 len=90 v4 udp 10.77.1.1:40401 > 10.77.1.2:5004
            # IPv6 TCP SYN: ports need 14 + 40 + 4 bytes; the flags byte is byte 13 of the TCP header
            # (the parser counts a segment without it as whole: flags are not needed to count it).
            ethernet.pcap     | 12 | 53 | OUTGOING if=2 hw=1 len=94 v6 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
            ethernet.pcap     | 12 | 57 | OUTGOING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 [] truncated
            ethernet.pcap     | 12 | 67 | OUTGOING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:1]:40003 > [fd77:0:0:0:0:0:0:2]:7001 []
            ethernet.pcap     | 12 | 68 | OUTGOING if=2 hw=1 len=94 v6 tcp [fd77:0:0:0:0:0:0:1]:40003 > [fd77:0:0:0:0:0:0:2]:7001 [S]
            # IPv6 hop-by-hop (8 bytes) then destination options (8) then UDP.
            ipv6-exthdr.pcap  |  3 | 61 | OUTGOING if=2 hw=1 len=86 v6 proto=0 [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 truncated
            ipv6-exthdr.pcap  |  3 | 69 | OUTGOING if=2 hw=1 len=86 v6 proto=60 [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 truncated
            ipv6-exthdr.pcap  |  3 | 73 | OUTGOING if=2 hw=1 len=86 v6 udp [fd77:0:0:0:0:0:0:1]:0 > [fd77:0:0:0:0:0:0:2]:0 truncated
            ipv6-exthdr.pcap  |  3 | 74 | OUTGOING if=2 hw=1 len=86 v6 udp [fd77:0:0:0:0:0:0:1]:40503 > [fd77:0:0:0:0:0:0:2]:5005
            # 802.1ad + 802.1Q: the inner tag ends at 14 + 4 + 4.
            vlan.pcap         |  3 | 21 | INCOMING if=2 hw=1 len=57 v0 truncated
            vlan.pcap         |  3 | 22 | INCOMING if=2 hw=1 len=57 v4 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
            # SLL2 shorter than its header: nothing known, not even the link header to count, so
            # the wire length is the original length less the cooked header (56 - 20).
            sll2.pcap         |  1 | 19 | INCOMING if=0 hw=0 len=36 v0 truncated
            sll2.pcap         |  1 | 20 | OUTGOING if=2 hw=1 len=50 v4 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
            sll.pcap          |  1 | 15 | INCOMING if=0 hw=0 len=36 v0 truncated
            sll.pcap          |  1 | 16 | OUTGOING if=0 hw=1 len=50 v4 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
            # Raw IP: the version nibble is the first byte.
            raw.pcap          |  3 |  0 | INCOMING if=3 hw=65534 len=52 v0 truncated
            raw.pcap          |  3 | 39 | INCOMING if=3 hw=65534 len=52 v6 proto=-1 [0:0:0:0:0:0:0:0]:0 > [0:0:0:0:0:0:0:0]:0 truncated
            raw.pcap          |  3 | 44 | INCOMING if=3 hw=65534 len=52 v6 udp [fd77:2:0:0:0:0:0:1]:40301 > [fd77:2:0:0:0:0:0:2]:5003
            """)
    void cutFrames(String file, int number, int cut, String expected) {
        PcapFrames fixture = PcapFrames.load(file);
        PcapFrames.Frame frame = fixture.frame(number);
        ParsedPacket p = new ParsedPacket();
        parserFor(fixture.linkType).parse(frame.bytes(), cut, frame.originalLength(), p);
        assertEquals(expected, PcapFrames.summary(p));
    }
}
