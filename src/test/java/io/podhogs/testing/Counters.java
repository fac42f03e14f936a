package io.podhogs.testing;

import io.podhogs.accounting.Traffic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's own counters of an interface: the ground truth every test compares against. */
public final class Counters {
    private Counters() {
    }

    /** tx as sent and rx as received, from the host's side of the interface. */
    public static Traffic of(String iface) {
        return new Traffic(read(iface, "tx_bytes"), read(iface, "tx_packets"), read(iface, "rx_bytes"),
                read(iface, "rx_packets"));
    }

    /** The namespace end's view of a veth whose host end is {@code iface}: it sent what the host end received. */
    public static Traffic farSide(String iface) {
        Traffic hostEnd = of(iface);
        return new Traffic(hostEnd.receivedBytes(), hostEnd.receivedPackets(), hostEnd.sentBytes(), hostEnd.sentPackets());
    }

    /**
     * Waits until {@code iface} has carried nothing for two seconds (a link just brought up sends
     * its neighbour discovery for a while): a baseline taken then stays the baseline.
     */
    public static void awaitQuiet(String iface) {
        // Each check is itself two seconds long: no pause between them.
        Await.until(java.time.Duration.ofSeconds(20), java.time.Duration.ZERO, () -> {
            Traffic before = of(iface);
            Thread.sleep(2000);
            return of(iface).equals(before);
        }, () -> iface + " to go quiet for two seconds");
    }

    private static long read(String iface, String counter) {
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", iface, "statistics", counter)).trim());
        } catch (IOException e) {
            throw new IllegalStateException("no counter " + counter + " on " + iface, e);
        }
    }
}
