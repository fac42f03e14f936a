package io.podhogs.accounting;

/**
 * A service port (--by port), as iptraf's port breakdown: every listed connection of the host whose
 * service end is that port (or in that named range), each way it is used: served here (the local
 * end is the port: a server's clients) or used here (the remote end is: a client's servers). With
 * no protocol, the rest: bytes of no listed connection (closed and forgotten, not TCP or UDP,
 * forwarded, beyond the listed).
 *
 * @param protocol "tcp", "udp"; empty for the rest
 * @param low the port, or the range's first
 * @param high the port, or the range's last
 * @param range the range's name (--port-range), empty for a single port
 * @param served the local end is the service port; false: the remote end is
 */
public record PortKey(String protocol, int low, int high, String range, boolean served) implements AccountKey {
    /** The rest row's name. */
    public static final String REST = "other traffic";
    public static final PortKey OTHER = new PortKey("", 0, 0, "", false);

    /** "tcp/8080 served", "tcp/5432 used", "web (tcp/8000-8999) served", or {@link #REST}. */
    @Override
    public String name() {
        if (protocol.isEmpty()) {
            return REST;
        }
        String ports = protocol + "/" + (low == high ? Integer.toString(low) : low + "-" + high);
        return (range.isEmpty() ? ports : range + " (" + ports + ")") + (served ? " served" : " used");
    }

    /** Of no one network namespace: a port's row sums the host's and every pod's. */
    @Override
    public long netns() {
        return -1;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.PORT;
    }
}
