package io.podhogs.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The devices a capture covers, checked against the host before anything is opened.
 *
 * @param named the user named these devices; otherwise it is "every device", which on the
 *     {@code any} capture includes devices that appear later
 * @param devices the named devices, or every device present now (for per-device captures)
 * @param excluded devices left out of "every device" (loopback, without -a)
 */
record DeviceSelection(boolean named, List<NetInterface> devices, List<NetInterface> excluded) {

    static DeviceSelection resolve(CaptureConfig config, NetInterfaces interfaces) throws CaptureException {
        if (!config.devices().isEmpty()) {
            List<NetInterface> named = new ArrayList<>();
            for (String name : config.devices()) {
                NetInterface device = interfaces.byName(name).orElseThrow(() -> new CaptureException(
                        "no such device: " + name + " (ip -br link lists the devices of this host)"));
                named.add(device);
            }
            return new DeviceSelection(true, named, List.of());
        }
        List<NetInterface> all = interfaces.list();
        List<NetInterface> devices = new ArrayList<>();
        List<NetInterface> excluded = new ArrayList<>();
        for (NetInterface device : all) {
            boolean wanted = config.includeLoopback() || (device.up() && !device.loopback());
            (wanted ? devices : excluded).add(device);
        }
        return new DeviceSelection(false, devices, excluded);
    }

    /**
     * The part of a BPF filter on the {@code any} device that keeps only the selected devices.
     * {@code ifindex} tests the cooked v2 header's interface index, which libpcap turns into the
     * kernel's own ifindex test, so frames of other devices never leave the kernel.
     */
    String anyDeviceFilter() {
        if (named) {
            return devices.stream().map(d -> "ifindex " + d.index()).collect(Collectors.joining(" or "));
        }
        // "Every device that is up" needs no test: a device that is down carries no frames.
        List<NetInterface> loopbacks = excluded.stream().filter(NetInterface::loopback).toList();
        return loopbacks.stream().map(d -> "not ifindex " + d.index()).collect(Collectors.joining(" and "));
    }

    String describe() {
        if (named) {
            return devices.stream().map(NetInterface::name).collect(Collectors.joining(", "));
        }
        return excluded.stream().anyMatch(NetInterface::loopback) ? "all devices but loopback" : "all devices";
    }
}
