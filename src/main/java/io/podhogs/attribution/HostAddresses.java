package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
import io.podhogs.host.HostFiles;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses of one network namespace: IPv4 from the local routes of /proc/net/fib_trie, IPv6
 * from /proc/net/if_inet6. A packet neither from nor to one of them is only passing through.
 */
public final class HostAddresses {
    private record Address(long hi, long lo) {
    }

    private final Set<Address> addresses;

    private HostAddresses(Set<Address> addresses) {
        this.addresses = addresses;
    }

    public static HostAddresses empty() {
        return new HostAddresses(Set.of());
    }

    public static HostAddresses read(HostFiles host, Path netDir) {
        Set<Address> addresses = new HashSet<>();
        List<String> trie = host.lines(netDir.resolve("fib_trie"));
        String last = null;
        for (String line : trie) {
            String t = line.trim();
            if (t.startsWith("|-- ")) {
                last = t.substring(4).trim();
            } else if (t.startsWith("/32 host LOCAL") && last != null) {
                long[] a = Addresses.parse(last);
                addresses.add(new Address(a[0], a[1]));
            }
        }
        for (String line : host.lines(netDir.resolve("if_inet6"))) {
            String hex = line.trim().split("\\s+")[0];
            if (hex.length() == 32) {
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
