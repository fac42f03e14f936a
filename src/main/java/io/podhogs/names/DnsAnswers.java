package io.podhogs.names;

import io.podhogs.capture.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses a DNS response gives for the name it was asked (RFC 1035): its A and AAAA records,
 * through any CNAMEs, each under the question's name, as the client that asked knows the address
 * (Coroot's rule: a connection to 93.184.215.14 is to www.example.com if that is what was looked
 * up). Read from bytes a capture copied, which may be cut short or made up: every read is bounded,
 * compression pointers are followed at most {@value #MAX_JUMPS} times, and what cannot be read
 * ends the parse with what was read before it. Off the packet path: allocates freely.
 */
final class DnsAnswers {
    static final int TYPE_A = 1;
    static final int TYPE_CNAME = 5;
    static final int TYPE_AAAA = 28;
    private static final int CLASS_IN = 1;
    private static final int MAX_JUMPS = 16;
    private static final int MAX_NAME = 255;

    /** One address and the name asked for it, with the record's time to live. */
    record Answer(String name, long hi, long lo, long ttlSeconds) {
    }

    private DnsAnswers() {
    }

    /** The answers of the DNS message at {@code m[off, off + len)}; none for a query or an error. */
    static List<Answer> parse(byte[] m, int off, int len) {
        List<Answer> answers = new ArrayList<>();
        int end = Math.min(m.length, off + len);
        if (end - off < 12) {
            return answers;
        }
        int flags = u16(m, off + 2);
        boolean response = (flags & 0x8000) != 0;
        int rcode = flags & 0xf;
        int questions = u16(m, off + 4);
        int records = u16(m, off + 6);
        if (!response || rcode != 0 || records == 0) {
            return answers;
        }
        int[] at = {off + 12};
        String asked = null;
        for (int q = 0; q < questions; q++) {
            String name = name(m, off, end, at);
            if (name == null || at[0] + 4 > end) {
                return answers;
            }
            if (asked == null) {
                asked = name;
            }
            at[0] += 4; // type, class
        }
        for (int r = 0; r < records; r++) {
            String owner = name(m, off, end, at);
            if (owner == null || at[0] + 10 > end) {
                return answers;
            }
            int type = u16(m, at[0]);
            int recordClass = u16(m, at[0] + 2);
            long ttl = u32(m, at[0] + 4);
            int length = u16(m, at[0] + 8);
            int data = at[0] + 10;
            if (data + length > end) {
                return answers;
            }
            at[0] = data + length;
            if (recordClass != CLASS_IN) {
                continue;
            }
            String name = asked != null ? asked : owner;
            if (type == TYPE_A && length == 4) {
                answers.add(new Answer(name, 0, Addresses.V4_MAPPED_LO_PREFIX | u32(m, data), ttl));
            } else if (type == TYPE_AAAA && length == 16) {
                answers.add(new Answer(name, u64(m, data), u64(m, data + 8), ttl));
            }
        }
        return answers;
    }

    /**
     * The name at {@code at[0]}, lower case, dots between labels; {@code at[0]} moves past it (past
     * the first pointer, where there is one). Null where it cannot be read.
     */
    static String name(byte[] m, int start, int end, int[] at) {
        StringBuilder b = new StringBuilder();
        int p = at[0];
        int after = -1;
        int jumps = 0;
        while (true) {
            if (p >= end) {
                return null;
            }
            int label = m[p] & 0xff;
            if (label == 0) {
                at[0] = after >= 0 ? after : p + 1;
                return b.length() == 0 ? "." : b.toString();
            }
            if ((label & 0xc0) == 0xc0) {
                if (p + 1 >= end || ++jumps > MAX_JUMPS) {
                    return null;
                }
                if (after < 0) {
                    after = p + 2;
                }
                p = start + (((label & 0x3f) << 8) | (m[p + 1] & 0xff));
                continue;
            }
            if ((label & 0xc0) != 0 || p + 1 + label > end || b.length() + label + 1 > MAX_NAME) {
                return null;
            }
            if (b.length() > 0) {
                b.append('.');
            }
            for (int i = p + 1; i <= p + label; i++) {
                char c = (char) (m[i] & 0xff);
                // A name is shown on a terminal: what is not printable ASCII is '?', as ps shows it.
                b.append(c > 0x20 && c < 0x7f ? Character.toLowerCase(c) : '?');
            }
            p += 1 + label;
        }
    }

    private static int u16(byte[] m, int o) {
        return ((m[o] & 0xff) << 8) | (m[o + 1] & 0xff);
    }

    private static long u32(byte[] m, int o) {
        return ((long) u16(m, o) << 16) | u16(m, o + 2);
    }

    private static long u64(byte[] m, int o) {
        return (u32(m, o) << 32) | u32(m, o + 4);
    }
}
