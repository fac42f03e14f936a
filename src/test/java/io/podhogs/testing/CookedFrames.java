package io.podhogs.testing;

import java.nio.ByteBuffer;

/**
 * IPv4 frames as libpcap's {@code any} device hands them over: a Linux cooked (SLL2) header that
 * names the interface and the kernel's packet type, then IP and TCP or UDP, built field by field.
 * On an Ethernet interface its counters count each one as {@link #wireBytes} bytes. A frame sent
 * carries its device's MAC address, 02:00:00:00:00:ifindex (as the engine tests' HostTree.device makes it):
 * one from any other address would be a frame the host relays.
 */
public final class CookedFrames {
    public static final int SYN = 0x02;
    public static final int ACK = 0x10;
    public static final int PSH_ACK = 0x18;

    private static final int SLL2 = 20;
    private static final int ETHERNET = 14;
    private static final int PACKET_HOST = 0;
    private static final int PACKET_OUTGOING = 4;

    private CookedFrames() {
    }

    /** A TCP segment with {@code payload} bytes, sent by this host ({@code outgoing}) or received. */
    public static byte[] tcp(int ifindex, boolean outgoing, String src, int srcPort, String dst, int dstPort, int flags,
                      int payload) {
        ByteBuffer b = ip(ifindex, outgoing, 6, src, dst, 20 + payload);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(1).putInt(outgoing ? 0 : 1);
        b.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    /** A UDP datagram with {@code payload} bytes, sent by this host ({@code outgoing}) or received. */
    public static byte[] udp(int ifindex, boolean outgoing, String src, int srcPort, String dst, int dstPort, int payload) {
        ByteBuffer b = ip(ifindex, outgoing, 17, src, dst, 8 + payload);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload)).putShort((short) 0);
        return b.array();
    }

    /** What the interface's counters count for the frame: its Ethernet header in place of the cooked one. */
    public static long wireBytes(byte[] frame) {
        return frame.length - SLL2 + ETHERNET;
    }

    private static ByteBuffer ip(int ifindex, boolean outgoing, int protocol, String src, String dst, int ipPayload) {
        int ipLength = 20 + ipPayload;
        ByteBuffer b = ByteBuffer.allocate(SLL2 + ipLength); // network order; the payload stays zeros
        b.putShort((short) 0x0800).putShort((short) 0).putInt(ifindex).putShort((short) 1); // IPv4, ARPHRD_ETHER
        b.put((byte) (outgoing ? PACKET_OUTGOING : PACKET_HOST)).put((byte) 6);
        // The sender's MAC, padded to 8: the device's own for a frame it sent (see HostTree.device).
        b.put(new byte[] {2, 0, 0, 0, (byte) (outgoing ? 0 : 0xee), (byte) (outgoing ? ifindex : 1), 0, 0});
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0x4000);
        b.put((byte) 64).put((byte) protocol).putShort((short) 0).put(v4(src)).put(v4(dst));
        return b;
    }

    private static byte[] v4(String address) {
        String[] octets = address.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) Integer.parseInt(octets[i]);
        }
        return out;
    }
}
