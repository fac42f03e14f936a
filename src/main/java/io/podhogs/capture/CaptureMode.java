package io.podhogs.capture;

/** How packets are captured; README ("Capture: one ring on any") gives the measurements. */
public enum CaptureMode {
    /** One handle on the {@code any} pseudo-device with Linux cooked v2 headers (the default). */
    ANY,
    /** One handle and thread per selected device, Ethernet headers, direction by MAC address. */
    PER_DEVICE
}
