package io.podhogs.names;

import java.io.ByteArrayOutputStream;

/** DNS messages written byte by byte, as a server would send them, for the parser's tests. */
final class DnsMessages {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    /** A header: a response (QR) with {@code rcode}, {@code questions} and {@code answers}. */
    static DnsMessages response(int rcode, int questions, int answers) {
        DnsMessages m = new DnsMessages();
        m.u16(0x1234).u16(0x8180 | rcode).u16(questions).u16(answers).u16(0).u16(0);
        return m;
    }

    static DnsMessages query(String name) {
        DnsMessages m = new DnsMessages();
        m.u16(0x1234).u16(0x0100).u16(1).u16(0).u16(0).u16(0);
        return m.name(name).u16(1).u16(1);
    }

    DnsMessages u16(int v) {
        b.write(v >> 8);
        b.write(v);
        return this;
    }

    DnsMessages u32(long v) {
        return u16((int) (v >> 16)).u16((int) v);
    }

    DnsMessages bytes(int... values) {
        for (int v : values) {
            b.write(v);
        }
        return this;
    }

    /** A name as labels, then the root. */
    DnsMessages name(String name) {
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        b.write(0);
        return this;
    }

    /** A pointer to the name at {@code offset} of the message (12: the first question's). */
    DnsMessages pointer(int offset) {
        return u16(0xc000 | offset);
    }

    DnsMessages question(String name) {
        return name(name).u16(1).u16(1);
    }

    /** A record's fixed part after its owner name: type, class IN, TTL, data length. */
    DnsMessages record(int type, long ttl, int length) {
        return u16(type).u16(1).u32(ttl).u16(length);
    }

    int size() {
        return b.size();
    }

    byte[] bytes() {
        return b.toByteArray();
    }
}
