package io.podhogs.capture;

/**
 * One network interface of the host's network namespace, as /sys/class/net describes it.
 *
 * @param hardwareType ARPHRD type (1 Ethernet, 772 loopback, 65534 none: tun/WireGuard ...)
 * @param mac the 48-bit hardware address, or -1 when it has none
 */
public record NetInterface(String name, int index, int hardwareType, long mac, boolean up) {
    public boolean loopback() {
        return hardwareType == FrameParser.ARPHRD_LOOPBACK;
    }
}
