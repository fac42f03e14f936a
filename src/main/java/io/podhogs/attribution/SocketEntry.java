package io.podhogs.attribution;

import io.podhogs.capture.Addresses;
/**
 * One line of /proc/net/{tcp,tcp6,udp,udp6}: addresses in the 128-bit form of the packet path
 * (IPv4 as IPv4-mapped), the TCP state number, and the socket inode (0 for sockets no process
 * holds: TIME_WAIT, SYN_RECV).
 */
public record SocketEntry(int protocol, long localHi, long localLo, int localPort, long remoteHi, long remoteLo,
                          int remotePort, int state, int uid, long inode) {
    /** An unconnected UDP socket (or a TCP listener): it has no remote end. */
    public boolean unconnected() {
        return remoteHi == 0 && (remoteLo == 0 || remoteLo == Addresses.V4_MAPPED_LO_PREFIX)
                && remotePort == 0;
    }
}
