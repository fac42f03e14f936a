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
 * @param excluded devices left out of "every device" (loopback without -a, devices that are down,
 *     devices the patterns leave out)
 * @param patterns the include and exclude patterns, for the description
 */
record DeviceSelection(boolean named, List<NetInterface> devices, List<NetInterface> excluded,
                       InterfacePatterns patterns) {

    static DeviceSelection resolve(CaptureConfig config, NetInterfaces interfaces) throws CaptureException {
        if (!config.devices().isEmpty()) {
            List<NetInterface> named = new ArrayList<>();
            for (String name : config.devices()) {
                NetInterface device = interfaces.byName(name).orElseThrow(() -> new CaptureException(
                        "no such device: " + name + " (ip -br link lists the devices of this host)"));
                named.add(device);
            }
            return new DeviceSelection(true, named, List.of(), config.patterns());
        }
        List<NetInterface> all = interfaces.list();
        List<NetInterface> devices = new ArrayList<>();
        List<NetInterface> excluded = new ArrayList<>();
        for (NetInterface device : all) {
            boolean wanted = config.counts(device) && (config.includeLoopback() || device.up());
            (wanted ? devices : excluded).add(device);
        }
        return new DeviceSelection(false, devices, excluded, config.patterns());
    }

    String describe() {
        if (named) {
            return devices.stream().map(NetInterface::name).collect(Collectors.joining(", "));
        }
        String all = excluded.stream().anyMatch(NetInterface::loopback) ? "all devices but loopback" : "all devices";
        return patterns.isAll() ? all : all + " matching " + patterns.describe();
    }
}
