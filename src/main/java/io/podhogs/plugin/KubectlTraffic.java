package io.podhogs.plugin;

import io.podhogs.export.api.Usage;
import io.podhogs.identity.RemoteClass;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Arithmetic on the agent's own {@link Usage} (the JSON's "usage" object, read with its field
 * names): a window's rate, the in-cluster and internet bytes, and the sum of rows from several nodes.
 */
final class KubectlTraffic {
    static final Usage ZERO = new Usage(0, 0, 0, 0, Map.of(), new Usage.Rate(0, 0), Map.of());

    private KubectlTraffic() {
    }

    static Usage.Rate rate(Usage u, String window) {
        Usage.Rate r = u.rates() == null ? null : u.rates().get(window);
        return r == null ? new Usage.Rate(0, 0) : r;
    }

    /** Bytes both ways whose other end is a pod, a Service or a node (RemoteClass.inCluster). */
    static long inCluster(Usage u) {
        long bytes = 0;
        for (RemoteClass c : RemoteClass.values()) {
            if (c.inCluster()) {
                bytes += classBytes(u, c);
            }
        }
        return bytes;
    }

    /** Bytes both ways whose other end is outside the cluster (RemoteClass.EXTERNAL). */
    static long internet(Usage u) {
        return classBytes(u, RemoteClass.EXTERNAL);
    }

    private static long classBytes(Usage u, RemoteClass c) {
        Usage.ClassUsage cu = u.remoteClasses() == null ? null : u.remoteClasses().get(c.label());
        return cu == null ? 0 : cu.sentBytes() + cu.receivedBytes();
    }

    /**
     * Two rows' sum: counters, rates and bytes by class add up exactly; the peak is the higher of
     * the two, a lower bound of the sum's real peak (the nodes' peaks need not have been at the same
     * time, so their sum would be a number no one measured).
     */
    static Usage plus(Usage a, Usage b) {
        Map<String, Usage.Rate> rates = new LinkedHashMap<>(a.rates() == null ? Map.of() : a.rates());
        (b.rates() == null ? Map.<String, Usage.Rate>of() : b.rates()).forEach((w, r) -> rates.merge(w, r,
                (x, y) -> new Usage.Rate(x.sent() + y.sent(), x.received() + y.received())));
        Map<String, Usage.ClassUsage> classes = new LinkedHashMap<>(a.remoteClasses() == null ? Map.of() : a.remoteClasses());
        (b.remoteClasses() == null ? Map.<String, Usage.ClassUsage>of() : b.remoteClasses()).forEach((c, u) -> classes.merge(c, u,
                (x, y) -> new Usage.ClassUsage(x.sentBytes() + y.sentBytes(), x.receivedBytes() + y.receivedBytes(),
                        x.sentPackets() + y.sentPackets(), x.receivedPackets() + y.receivedPackets())));
        Usage.Rate pa = a.peak() == null ? new Usage.Rate(0, 0) : a.peak();
        Usage.Rate pb = b.peak() == null ? new Usage.Rate(0, 0) : b.peak();
        return new Usage(a.sentBytes() + b.sentBytes(), a.receivedBytes() + b.receivedBytes(),
                a.sentPackets() + b.sentPackets(), a.receivedPackets() + b.receivedPackets(), rates,
                new Usage.Rate(Math.max(pa.sent(), pb.sent()), Math.max(pa.received(), pb.received())), classes);
    }
}
