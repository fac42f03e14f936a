package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.RemoteClass;
import java.util.List;
import java.util.Locale;

/**
 * The top view's table of pods, namespaces or workloads: NAMESPACE NAME [WORKLOAD] SENT RECEIVED
 * EXTERNAL CLUSTER, the last two the bytes (both ways) exchanged with outside the cluster and inside
 * it. One screen's worth: made for a width, then asked for its lines.
 */
final class PodTable {
    private final RowFormat format;
    private final DisplayUnits units;
    private final IdentityLookup identity;
    private final int width;
    private final boolean workloadCol;
    private final boolean namespaceCol;
    private final int nameWidth;
    private final String row;

    PodTable(RowFormat format, DisplayUnits units, IdentityLookup identity, int width) {
        this.format = format;
        this.units = units;
        this.identity = identity;
        this.width = width;
        workloadCol = format.level() == Level.POD;
        namespaceCol = format.level() != Level.NAMESPACE;
        int fixed = (namespaceCol ? 16 : 0) + (workloadCol ? 25 : 0) + 4 * 15;
        nameWidth = Math.max(10, width - fixed);
        row = (namespaceCol ? "%-15s " : "%s") + "%-" + nameWidth + "s " + (workloadCol ? "%-24s " : "%s")
                + "%14s %14s %14s %14s";
    }

    String header() {
        ViewMode mode = format.mode();
        String nameTitle = switch (format.level()) {
            case NAMESPACE -> "NAMESPACE";
            case WORKLOAD -> "WORKLOAD";
            default -> "POD";
        };
        return TopView.fit(String.format(Locale.ROOT, row, namespaceCol ? "NAMESPACE" : "", nameTitle,
                workloadCol ? "WORKLOAD" : "", "SENT " + units.unit(mode), "RECEIVED " + units.unit(mode), "EXTERNAL",
                "CLUSTER"), width);
    }

    String line(AccountSnapshot a) {
        ViewMode mode = format.mode();
        PodFields pod = PodFields.of(a, identity);
        String name = switch (format.level()) {
            case NAMESPACE -> pod.namespace().isEmpty() ? format.name(a) : pod.namespace();
            case WORKLOAD -> pod.workload() == null ? format.name(a) : pod.workload().toString();
            default -> pod.pod().isEmpty() ? format.name(a) : pod.pod();
        };
        if (a.key() instanceof RetiredPodsKey) {
            name = format.level() == Level.POD ? "(deleted pods)" : name + " (deleted pods)";
        }
        double[] v = values(a, mode);
        return TopView.fit(String.format(Locale.ROOT, row, namespaceCol ? TopView.clip(pod.namespace(), 15) : "",
                TopView.clip(name, nameWidth), workloadCol ? TopView.clip(pod.workload() == null ? ""
                        : pod.workload().toString(), 24) : "", units.format(mode, v[0]), units.format(mode, v[1]),
                units.format(mode, v[2]), units.format(mode, v[3])), width);
    }

    /** TOTAL: every row's, shown or not. */
    String total(List<AccountSnapshot> rows) {
        ViewMode mode = format.mode();
        double[] totals = new double[4];
        for (AccountSnapshot a : rows) {
            double[] v = values(a, mode);
            for (int i = 0; i < 4; i++) {
                totals[i] += v[i];
            }
        }
        return TopView.fit(String.format(Locale.ROOT, "  TOTAL %" + Math.max(1, width - 8 - 4 * 15) + "s %14s %14s %14s %14s",
                "", units.format(mode, totals[0]), units.format(mode, totals[1]), units.format(mode, totals[2]),
                units.format(mode, totals[3])), width);
    }

    /** Sent, received, external (both ways), in the cluster (both ways), in the view's unit. */
    private static double[] values(AccountSnapshot a, ViewMode mode) {
        double external = mode.sentBytes(a.with(RemoteClass.EXTERNAL)) + mode.receivedBytes(a.with(RemoteClass.EXTERNAL));
        double cluster = 0;
        for (RemoteClass c : RemoteClass.values()) {
            if (c.inCluster()) {
                cluster += mode.sentBytes(a.with(c)) + mode.receivedBytes(a.with(c));
            }
        }
        return new double[] {mode.sentBytes(a), mode.receivedBytes(a), external, cluster};
    }
}
