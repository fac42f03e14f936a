package io.podhogs.capture;

import java.util.Locale;
/** How packets are captured; README ("Capture: one ring on any") gives the measurements. */
public enum CaptureMode {
    /** One handle on the {@code any} pseudo-device with Linux cooked v2 headers (the default). */
    ANY,
    /** One handle and thread per selected device, Ethernet headers, direction by MAC address. */
    PER_DEVICE;

    /** "any" or "per-device", as the command line and the agent's settings name them. */
    public static CaptureMode parse(String text, String setting) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "any" -> ANY;
            case "per-device" -> PER_DEVICE;
            default -> throw new IllegalArgumentException(setting + " is any or per-device, not " + text);
        };
    }
}
