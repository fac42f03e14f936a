package io.podhogs.capture;

/**
 * One network interface of the host's network namespace, as /sys/class/net describes it.
 *
 * @param hardwareType ARPHRD type (1 Ethernet, 772 loopback, 65534 none: tun/WireGuard ...)
 * @param mac the 48-bit hardware address, or -1 when it has none
 * @param link the interface index of its link (iflink): its own index for most devices, the peer's
 *     (in the peer's namespace) for a veth, the lower device's for VLAN and macvlan
 * @param deviceType the kernel's DEVTYPE (bridge, vlan, vxlan ...), empty for veth and physical
 * @param enslaved it has a master (a bridge port, a bond slave): frames of the host's own sockets
 *     are seen on the master, never counted here
 * @param stacked it sits on a lower device (VLAN, macvlan, ipvlan)
 */
public record NetInterface(String name, int index, int hardwareType, long mac, boolean up, int link,
                           String deviceType, boolean enslaved, boolean stacked) {
    public boolean loopback() {
        return hardwareType == FrameParser.ARPHRD_LOOPBACK;
    }

    /**
     * A veth (or a device like it, such as Calico's cali*): linked to a peer that is not stacked on
     * anything here. Its peer may live in another network namespace, whose boundary this is.
     */
    public boolean netnsBoundary() {
        return link != index && link > 0 && deviceType.isEmpty() && !stacked;
    }
}
