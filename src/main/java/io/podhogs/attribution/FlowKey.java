package io.podhogs.attribution;

import io.podhogs.capture.Addresses;

/**
 * One flow as the engine sees it: a transport conversation from the point of view of a local
 * socket, on one interface.
 *
 * @param protocol IP protocol number, or {@link FlowKey#NON_IP} for frames that are not IP
 * @param flags {@link FlowKey#NO_PORTS} when the packets carried no usable ports (truncated,
 *     orphan fragments), {@link FlowKey#FOREIGN} when they were addressed to another host,
 *     {@link FlowKey#PEER} for the far side of the interface: the sockets of the network namespace
 *     behind a veth, which send what the host end receives and receive what it transmits
 */
public record FlowKey(int ifindex, int protocol, long localHi, long localLo, int localPort, long remoteHi,
                      long remoteLo, int remotePort, int flags) {
    public static final int NON_IP = 256;
    public static final int NO_PORTS = 1;
    public static final int FOREIGN = 2;
    public static final int PEER = 4;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public String toString() {
        return "if" + ifindex + " proto " + protocol + " " + Addresses.format(localHi, localLo) + ":" + localPort
                + " <-> " + Addresses.format(remoteHi, remoteLo) + ":" + remotePort
                + (has(NO_PORTS) ? " no-ports" : "") + (has(FOREIGN) ? " foreign" : "") + (has(PEER) ? " peer" : "");
    }
}
