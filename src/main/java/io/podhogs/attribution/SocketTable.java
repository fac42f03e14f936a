package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;

/**
 * The sockets of one network namespace, read from /proc/PID/net/{tcp,tcp6,udp,udp6} at one moment,
 * and the lookup of a flow's socket by the rules of docs/accounting.md: TCP and connected UDP on the
 * exact 4-tuple; unconnected UDP on the local address and port, then on the wildcard address (0.0.0.0
 * and, for IPv4 too, the dual-stack ::). IPv4-mapped IPv6 sockets need no second lookup because
 * every address is kept in the IPv4-mapped form. Immutable once read.
 */
public final class SocketTable {
    private static final long WILDCARD_V4_LO = Addresses.V4_MAPPED_LO_PREFIX;

    private record Connected(int protocol, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
    }

    private record Bound(int protocol, long lHi, long lLo, int lPort) {
    }

    private final Map<Connected, SocketEntry> connected;
    private final Map<Bound, SocketEntry> bound;
    /** UDP ports of sockets no process holds: the kernel's own (VXLAN, Geneve, WireGuard, FOU). */
    private final Set<Integer> kernelUdpPorts;
    private final int size;

    private SocketTable(Map<Connected, SocketEntry> connected, Map<Bound, SocketEntry> bound,
                        Set<Integer> kernelUdpPorts, int size) {
        this.connected = connected;
        this.bound = bound;
        this.kernelUdpPorts = kernelUdpPorts;
        this.size = size;
    }

    public static SocketTable empty() {
        return new SocketTable(Map.of(), Map.of(), Set.of(), 0);
    }

    /** Reads the namespace's tables through {@code netDir}, e.g. /proc/self/net or /proc/PID/net. */
    public static SocketTable read(HostFiles host, Path netDir) {
        return read(host, netDir, List.of("tcp", "tcp6", "udp", "udp6"));
    }

    /** Reads only the tables of {@code protocol} (TCP or UDP), IPv4 and IPv6. */
    public static SocketTable read(HostFiles host, Path netDir, int protocol) {
        return read(host, netDir, protocol == ParsedPacket.TCP ? List.of("tcp", "tcp6") : List.of("udp", "udp6"));
    }

    private static SocketTable read(HostFiles host, Path netDir, List<String> files) {
        Map<Connected, SocketEntry> connected = new HashMap<>();
        Map<Bound, SocketEntry> bound = new HashMap<>();
        Set<Integer> kernelUdpPorts = new HashSet<>();
        int size = 0;
        for (String file : files) {
            int protocol = file.startsWith("tcp") ? ParsedPacket.TCP : ParsedPacket.UDP;
            for (SocketEntry e : ProcNetParser.parse(protocol, host.lines(netDir.resolve(file)))) {
                size++;
                if (e.inode() == 0) {
                    if (protocol == ParsedPacket.UDP && e.unconnected()) {
                        kernelUdpPorts.add(e.localPort());
                    }
                    continue; // no process holds it (TIME_WAIT, SYN_RECV, the kernel's tunnels)
                }
                if (e.unconnected()) {
                    bound.putIfAbsent(new Bound(e.protocol(), e.localHi(), e.localLo(), e.localPort()), e);
                } else {
                    connected.putIfAbsent(new Connected(e.protocol(), e.localHi(), e.localLo(), e.localPort(),
                            e.remoteHi(), e.remoteLo(), e.remotePort()), e);
                }
            }
        }
        return new SocketTable(connected, bound, kernelUdpPorts, size);
    }

    /**
     * The listening TCP socket (or bound UDP socket) on the flow's local port: the owner of an
     * inbound connection whose own socket is already gone.
     */
    public SocketEntry listener(FlowKey flow) {
        int protocol = flow.protocol();
        SocketEntry local = bound.get(new Bound(protocol, flow.localHi(), flow.localLo(), flow.localPort()));
        if (local == null && Addresses.isV4Mapped(flow.localHi(), flow.localLo())) {
            local = bound.get(new Bound(protocol, 0, WILDCARD_V4_LO, flow.localPort()));
        }
        return local != null ? local : bound.get(new Bound(protocol, 0, 0, flow.localPort()));
    }

    /** The connected socket (TCP, connected UDP) with exactly the flow's four-tuple, or null. */
    public SocketEntry findConnected(FlowKey flow) {
        return connected.get(new Connected(flow.protocol(), flow.localHi(), flow.localLo(), flow.localPort(),
                flow.remoteHi(), flow.remoteLo(), flow.remotePort()));
    }

    /**
     * The socket that owns {@code flow}, or null. {@code byLocalPort} allows the fallback to unconnected
     * sockets by local port: only for a local end that is an address of the namespace (or a
     * broadcast or multicast one), else a wildcard listener would take traffic routed through.
     */
    public SocketEntry find(FlowKey flow, boolean byLocalPort) {
        int protocol = flow.protocol();
        if (protocol != ParsedPacket.TCP && protocol != ParsedPacket.UDP) {
            return null;
        }
        SocketEntry exact = connected.get(new Connected(protocol, flow.localHi(), flow.localLo(), flow.localPort(),
                flow.remoteHi(), flow.remoteLo(), flow.remotePort()));
        if (exact != null || protocol == ParsedPacket.TCP || !byLocalPort) {
            return exact;
        }
        SocketEntry local = bound.get(new Bound(protocol, flow.localHi(), flow.localLo(), flow.localPort()));
        if (local != null) {
            return local;
        }
        if (Addresses.isV4Mapped(flow.localHi(), flow.localLo())) {
            SocketEntry anyV4 = bound.get(new Bound(protocol, 0, WILDCARD_V4_LO, flow.localPort()));
            if (anyV4 != null) {
                return anyV4;
            }
        }
        return bound.get(new Bound(protocol, 0, 0, flow.localPort()));
    }

    /**
     * Whether the flow is a kernel tunnel's: UDP to or from a port on which a socket no process
     * holds listens (tunnels pick a random source port, and both ends listen on the same port).
     */
    public boolean kernelTunnel(FlowKey flow) {
        return flow.protocol() == ParsedPacket.UDP
                && (kernelUdpPorts.contains(flow.localPort()) || kernelUdpPorts.contains(flow.remotePort()));
    }

    public int size() {
        return size;
    }
}
