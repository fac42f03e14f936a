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

    private final Set<Conversation> translated;

    private NatTable(Set<Conversation> translated) {
        this.translated = translated;
    }

    public static NatTable empty() {
        return new NatTable(Set.of());
    }

    public static NatTable read(HostFiles host, Path netDir) {
        Set<Conversation> translated = new HashSet<>();
        for (String line : host.lines(netDir.resolve("nf_conntrack"))) {
            parse(line, translated);
        }
        return new NatTable(translated);
    }

    /**
     * One line: "ipv4 2 tcp 6 117 ESTABLISHED src=A dst=B sport=a dport=b [..] src=B' dst=A' sport=b'
     * dport=a' [ASSURED] mark=0 ...": the original direction's tuple, then the reply's.
     */
    static void parse(String line, Set<Conversation> into) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4) {
            return;
        }
        int protocol;
        try {
            protocol = Integer.parseInt(f[3]);
        } catch (NumberFormatException e) {
            return;
        }
        if (protocol != ParsedPacket.TCP && protocol != ParsedPacket.UDP) {
            return;
        }
        String[][] tuples = new String[2][4]; // src, dst, sport, dport
        int tuple = -1;
        for (String field : f) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            switch (name) {
                case "src" -> {
                    if (++tuple > 1) {
                        return;
                    }
                    tuples[tuple][0] = value;
                }
                case "dst" -> set(tuples, tuple, 1, value);
                case "sport" -> set(tuples, tuple, 2, value);
                case "dport" -> set(tuples, tuple, 3, value);
                default -> { }
            }
        }
        if (tuple != 1) {
            return;
        }
        for (String[] t : tuples) {
            for (String value : t) {
                if (value == null || value.isEmpty()) {
                    return; // both tuples whole, or nothing of the line is believed
                }
            }
        }
        String[] original = tuples[0];
        String[] reply = tuples[1];
        try {
            // Source NAT: the reply comes back to another address or port than the original left from.
            if (!reply[1].equals(original[0]) || !reply[3].equals(original[2])) {
                into.add(conversation(protocol, reply[1], reply[3], reply[0], reply[2]));
            }
            // Destination NAT: the reply comes from another address or port than the original went to.
            if (!reply[0].equals(original[1]) || !reply[2].equals(original[3])) {
                into.add(conversation(protocol, original[1], original[3], original[0], original[2]));
            }
        } catch (IllegalArgumentException e) {
            // not an address: a line of a format this does not know
        }
    }

    private static void set(String[][] tuples, int tuple, int field, String value) {
        if (tuple >= 0 && tuple <= 1) {
            tuples[tuple][field] = value;
        }
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
}
