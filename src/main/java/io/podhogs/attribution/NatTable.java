package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Connections the host translates (MASQUERADE and SNAT of pod egress, DNAT to pods), from the
 * conntrack table (/proc/net/nf_conntrack), as the host's side of an interface sees them: the
 * address and port that are the host's only because of NAT, and the other end. A frame of such a
 * connection is forwarded, not a host socket's and not unknown; this is recognised by the
 * connection, never by the addresses.
 */
public final class NatTable {
    private record Conversation(int protocol, long localHi, long localLo, int localPort, long remoteHi, long remoteLo,
                                int remotePort) {
    }

    /**
     * The most translated conversations kept from one read: conntrack holds up to a million entries
     * on a busy node, a flood of new flows fills it, and this set must not follow (docs/memory.md).
     * Those beyond are counted in {@link #dropped}: their frames count as unknown, not forwarded.
     */
    public static final int MAX_CONVERSATIONS = 65_536;

    private final Set<Conversation> translated;
    private final long dropped;

    private NatTable(Set<Conversation> translated, long dropped) {
        this.translated = translated;
        this.dropped = dropped;
    }

    public static NatTable empty() {
        return new NatTable(Set.of(), 0);
    }

    /** Reads the table line by line (it may be tens of megabytes), keeping the translated conversations only. */
    public static NatTable read(HostFiles host, Path netDir) {
        return read(host, netDir, MAX_CONVERSATIONS);
    }

    static NatTable read(HostFiles host, Path netDir, int max) {
        Set<Conversation> translated = new HashSet<>();
        Set<Conversation> line = new HashSet<>(4);
        long[] dropped = {0};
        host.forEachLine(netDir.resolve("nf_conntrack"), l -> {
            line.clear();
            parse(l, line);
            for (Conversation c : line) {
                if (translated.size() < max || translated.contains(c)) {
                    translated.add(c);
                } else {
                    dropped[0]++;
                }
            }
        });
        return new NatTable(translated, dropped[0]);
    }

    /**
     * One line: "ipv4 2 tcp 6 117 ESTABLISHED src=A dst=B sport=a dport=b [..] src=B' dst=A' sport=b'
     * dport=a' [ASSURED] mark=0 ...": the original direction's tuple, then the reply's. Scanned in
     * place, with no string made unless the connection is translated: the table may hold a million
     * lines, nearly all of them untranslated, and is read again while flows wait for it.
     */
    static void parse(String line, Set<Conversation> into) {
        // Where each tuple's values start and end: (tuple * 4 + field) * 2, fields src, dst, sport, dport.
        int[] at = new int[16];
        int tuple = -1;
        int field = 0;
        int protocol = -1;
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            if (field++ == 3) {
                protocol = number(line, start, i);
                if (protocol != ParsedPacket.TCP && protocol != ParsedPacket.UDP) {
                    return;
                }
                continue;
            }
            int eq = line.indexOf('=', start);
            if (eq < 0 || eq >= i) {
                continue;
            }
            int which = name(line, start, eq);
            if (which == 0 && ++tuple > 1) {
                return;
            }
            if (which >= 0 && tuple >= 0) {
                at[(tuple * 4 + which) * 2] = eq + 1;
                at[(tuple * 4 + which) * 2 + 1] = i;
            }
        }
        if (protocol < 0 || tuple != 1) {
            return;
        }
        for (int v = 1; v < at.length; v += 2) {
            if (at[v] == 0 || at[v] == at[v - 1]) {
                return; // both tuples whole, or nothing of the line is believed
            }
        }
        int src = 0;
        int dst = 2;
        int sport = 4;
        int dport = 6;
        int reply = 8;
        try {
            // Source NAT: the reply comes back to another address or port than the original left from.
            if (!same(line, at, reply + dst, src) || !same(line, at, reply + dport, sport)) {
                into.add(conversation(protocol, text(line, at, reply + dst), text(line, at, reply + dport),
                        text(line, at, reply + src), text(line, at, reply + sport)));
            }
            // Destination NAT: the reply comes from another address or port than the original went to.
            if (!same(line, at, reply + src, dst) || !same(line, at, reply + sport, dport)) {
                into.add(conversation(protocol, text(line, at, dst), text(line, at, dport), text(line, at, src),
                        text(line, at, sport)));
            }
        } catch (IllegalArgumentException e) {
            // not an address: a line of a format this does not know
        }
    }

    /** 0 src, 1 dst, 2 sport, 3 dport, -1 any other name. */
    private static int name(String line, int start, int eq) {
        int length = eq - start;
        if (length == 3 && line.startsWith("src", start)) {
            return 0;
        }
        if (length == 3 && line.startsWith("dst", start)) {
            return 1;
        }
        if (length == 5 && line.startsWith("sport", start)) {
            return 2;
        }
        if (length == 5 && line.startsWith("dport", start)) {
            return 3;
        }
        return -1;
    }

    private static int number(String line, int start, int end) {
        if (end - start > 3) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Whether the values whose bounds are at {@code a} and {@code b} in {@code at} are the same text. */
    private static boolean same(String line, int[] at, int a, int b) {
        int length = at[a + 1] - at[a];
        return length == at[b + 1] - at[b] && line.regionMatches(at[a], line, at[b], length);
    }

    private static String text(String line, int[] at, int value) {
        return line.substring(at[value], at[value + 1]);
    }

    private static Conversation conversation(int protocol, String local, String localPort, String remote,
                                             String remotePort) {
        long[] l = Addresses.parse(local);
        long[] r = Addresses.parse(remote);
        return new Conversation(protocol, l[0], l[1], port(localPort), r[0], r[1], port(remotePort));
    }

    private static int port(String decimal) {
        int port = Integer.parseInt(decimal);
        if (port < 0 || port > 65535 || decimal.charAt(0) == '+') {
            throw new NumberFormatException("not a port: " + decimal);
        }
        return port;
    }

    /** Whether the host's side of {@code flow} is one end of a translated connection. */
    public boolean translated(FlowKey flow) {
        return translated.contains(new Conversation(flow.protocol(), flow.localHi(), flow.localLo(), flow.localPort(),
                flow.remoteHi(), flow.remoteLo(), flow.remotePort()));
    }

    public int size() {
        return translated.size();
    }

    /** Translated conversations the last read found beyond {@link #MAX_CONVERSATIONS}. */
    public long dropped() {
        return dropped;
    }
}
