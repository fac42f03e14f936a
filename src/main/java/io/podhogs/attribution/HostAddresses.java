package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
import io.podhogs.host.HostFiles;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The addresses of one network namespace: IPv4 from the local routes of /proc/net/fib_trie, IPv6
 * from /proc/net/if_inet6. A packet neither from nor to one of them is only passing through.
 */
public final class HostAddresses {
    private record Address(long hi, long lo) {
    }

    private static final Pattern HEX_128 = Pattern.compile("[0-9a-fA-F]{32}");

    private final Set<Address> addresses;

    private HostAddresses(Set<Address> addresses) {
        this.addresses = addresses;
    }

    public static HostAddresses empty() {
        return new HostAddresses(Set.of());
    }

    public static HostAddresses read(HostFiles host, Path netDir) {
        return parse(host.lines(netDir.resolve("fib_trie")), host.lines(netDir.resolve("if_inet6")));
    }

    /** The addresses in the lines of fib_trie (IPv4's local routes) and if_inet6. */
    static HostAddresses parse(List<String> trie, List<String> ifInet6) {
        Set<Address> addresses = new HashSet<>();
        String last = null;
        for (String line : trie) {
            String t = line.trim();
            if (t.startsWith("|-- ")) {
                last = t.substring(4).trim();
            } else if (t.startsWith("/32 host LOCAL") && last != null) {
                try {
                    long[] a = Addresses.parse(last);
                    addresses.add(new Address(a[0], a[1]));
                } catch (IllegalArgumentException e) {
                    // not an address: a line of a format this does not know
                }
            }
        }
        for (String line : ifInet6) {
            String hex = line.trim().split("\\s+")[0];
            if (HEX_128.matcher(hex).matches()) {
                addresses.add(new Address(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                        Long.parseUnsignedLong(hex.substring(16), 16)));
            }
        }
        return new HostAddresses(addresses);
    }

    public boolean contains(long hi, long lo) {
        return addresses.contains(new Address(hi, lo));
    }
}
