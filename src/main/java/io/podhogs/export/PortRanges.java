package io.podhogs.export;

import io.podhogs.accounting.ConnectionKey;
import io.podhogs.accounting.PortKey;
import io.podhogs.host.HostFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which end of a connection is its service port, and the names of port ranges (--port-range, as
 * iptraf's "TCP/UDP port ranges"): a port of the host's ephemeral range
 * ({@code net.ipv4.ip_local_port_range}) is a client's, so the other end is the service; where both
 * or neither are, a port of a named range is the service, else the lower port (iptraf's rule).
 */
public final class PortRanges {
    /** The most ranges named: each connection is matched against them. */
    public static final int MAX = 1_000;
    private static final Pattern SPEC = Pattern.compile("([^=,\\s]{1,64})=(\\d{1,5})(?:-(\\d{1,5}))?");

    /** A named range of ports, both ends included. */
    public record Range(String name, int low, int high) {
        boolean holds(int port) {
            return port >= low && port <= high;
        }
    }

    private final List<Range> named;
    private final int ephemeralLow;
    private final int ephemeralHigh;

    PortRanges(List<Range> named, int ephemeralLow, int ephemeralHigh) {
        this.named = List.copyOf(named);
        this.ephemeralLow = ephemeralLow;
        this.ephemeralHigh = ephemeralHigh;
    }

    /**
     * The ranges of {@code specs} ("web=8000-8999", "dns=53"; the first range that holds a port
     * names it), with this host's ephemeral range; an IllegalArgumentException, one line, for a bad one.
     */
    public static PortRanges of(List<String> specs, HostFiles host) {
        if (specs.size() > MAX) {
            throw new IllegalArgumentException("--port-range names at most " + MAX + " ranges, not " + specs.size());
        }
        List<Range> ranges = new ArrayList<>();
        for (String spec : specs) {
            Matcher m = SPEC.matcher(spec);
            if (!m.matches()) {
                throw new IllegalArgumentException("--port-range is NAME=PORT or NAME=LOW-HIGH (web=8000-8999), not '"
                        + spec + "'");
            }
            int low = Integer.parseInt(m.group(2));
            int high = m.group(3) == null ? low : Integer.parseInt(m.group(3));
            if (low < 1 || high > 65_535 || low > high) {
                throw new IllegalArgumentException("--port-range " + spec + ": ports go from 1 to 65535, low to high");
            }
            ranges.add(new Range(m.group(1), low, high));
        }
        int[] ephemeral = ephemeral(host);
        return new PortRanges(ranges, ephemeral[0], ephemeral[1]);
    }

    /** The kernel's ephemeral range, or Linux's default where it cannot be read. */
    static int[] ephemeral(HostFiles host) {
        String[] words = host.read(host.proc("sys", "net", "ipv4", "ip_local_port_range")).orElse("").trim()
                .split("\\s+");
        try {
            if (words.length == 2) {
                return new int[] {Integer.parseInt(words[0]), Integer.parseInt(words[1])};
            }
        } catch (NumberFormatException e) {
            // Linux's default below
        }
        return new int[] {32_768, 60_999};
    }

    /** The service port's row of a listed connection. */
    public PortKey keyOf(ConnectionKey c) {
        int local = c.flow().localPort();
        int remote = c.flow().remotePort();
        boolean served = localIsService(local, remote);
        int port = served ? local : remote;
        Range range = range(port);
        return range == null ? new PortKey(c.protocol(), port, port, "", served)
                : new PortKey(c.protocol(), range.low(), range.high(), range.name(), served);
    }

    boolean localIsService(int local, int remote) {
        boolean localEphemeral = local >= ephemeralLow && local <= ephemeralHigh;
        boolean remoteEphemeral = remote >= ephemeralLow && remote <= ephemeralHigh;
        if (localEphemeral != remoteEphemeral) {
            return remoteEphemeral;
        }
        boolean localNamed = range(local) != null;
        if (localNamed != (range(remote) != null)) {
            return localNamed;
        }
        return local <= remote;
    }

    private Range range(int port) {
        for (Range r : named) {
            if (r.holds(port)) {
                return r;
            }
        }
        return null;
    }
}
