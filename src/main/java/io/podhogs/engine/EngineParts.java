package io.podhogs.engine;

import io.podhogs.attribution.HostSocketLookup;
import io.podhogs.attribution.LinkPeers;
import io.podhogs.capture.Capture;
import io.podhogs.capture.NetInterfaces;
import io.podhogs.host.HostFiles;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * What the engine works with but does not decide: the host's files, its interfaces, its sockets,
 * the capture and the clocks. {@link #of} gives the host's own; a test passes a /proc tree of its
 * making, a capture it feeds and clocks it moves, and so checks the engine's logic to the byte
 * without root.
 *
 * @param sockets the host namespace's TCP sockets by four-tuple (sock_diag on a host); the engine
 *     closes it when it stops
 * @param namespaceSockets opens the same in a pod's namespace (sock_diag entered with setns)
 * @param linkPeers the kernel's ids of the namespaces behind veths (netlink); the engine closes it
 * @param nanoTime the engine's time (System.nanoTime on a host): ticks, grace periods, retention
 * @param wallClock the time snapshots carry and deleted pods' grace periods are measured in
 * @param conntrackInBackground read the conntrack table and scan every process's fds on threads of
 *     their own; false in a test whose clock is moved by hand, so that every read happens when the
 *     test says
 */
public record EngineParts(HostFiles host, NetInterfaces interfaces, HostSocketLookup sockets,
                          HostSocketLookup.Opener namespaceSockets, LinkPeers linkPeers, CaptureFactory captures,
                          LongSupplier nanoTime, Clock wallClock, boolean conntrackInBackground) {

    /** Parts without exact lookups in pods' namespaces (their tables are read) or the kernel's namespace ids. */
    public EngineParts(HostFiles host, NetInterfaces interfaces, HostSocketLookup sockets, CaptureFactory captures,
                       LongSupplier nanoTime, Clock wallClock, boolean conntrackInBackground) {
        this(host, interfaces, sockets, HostSocketLookup.Opener.NONE, LinkPeers.none(), captures, nanoTime, wallClock,
                conntrackInBackground);
    }

    /** The host's own: its interfaces, sock_diag (in pods' namespaces too, where it may enter them), libpcap and the system's clocks. */
    public static EngineParts of(HostFiles host) {
        return new EngineParts(host, NetInterfaces.watched(host), HostSocketLookup.sockDiag(),
                HostSocketLookup.Opener.SOCK_DIAG, LinkPeers.netlink(), Capture::start, System::nanoTime,
                Clock.systemUTC(), true);
    }
}
