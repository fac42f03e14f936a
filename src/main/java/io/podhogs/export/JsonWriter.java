package io.podhogs.export;

import io.podhogs.identity.IdentityLookup;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ConnectionKey;
import io.podhogs.accounting.InterfaceKey;
import io.podhogs.accounting.PortKey;
import io.podhogs.accounting.RemoteClassTraffic;
import io.podhogs.accounting.Traffic;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ContainerInfo;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import io.podhogs.names.RemoteNames;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code --json}: one JSON object a line, per account per refresh, for scripts. Bytes are whole
 * numbers and rates are bytes per second over the rate window, whatever the view mode. {@code kind}
 * is process, unknown, forwarded or encapsulated, or filtered (the sum of what a filter left out,
 * pid 0); {@code netns} the inode of the namespace whose side of the
 * interfaces the account is on (0: the host's); the inferred bytes are those of connections whose
 * owner was inferred because their sockets were gone before they could be looked up; the container
 * fields come from the process's cgroup (empty when it names none: every non-process account), the
 * container's name and image from its runtime (empty without one). With a Kubernetes cluster, the
 * pod fields (namespace, pod, container, workload, node, labels) come from the API, and
 * {@code remote_classes} and {@code remote_peers} say where the bytes went: by class, and to which
 * pods, Services and nodes where the cluster names them (empty without a cluster). Rows of
 * {@code --by connection} (kind connection) add {@code connection}: its protocol, local and remote
 * ends, interface, remote class, the remote end's name (the cluster's for its pods, Services and
 * nodes, else from DNS answers, or reverse DNS; "" while none is known) and whether its owner was inferred; null for the row of the rest of
 * an owner's bytes, which no listed connection holds. Rows of {@code --by port} (kind port) add
 * {@code port}: protocol, low and high port (the same for one port), the range's name, and whether
 * it is served here; null for the row of the rest. Rows of {@code --by interface} add
 * {@code device_kernel_drops}: the kernel's drops on that device's own handle, null where the capture
 * has none per device (the any device's are in {@code kernel_drops}).
 */
public final class JsonWriter {
    private final PrintStream out;
    private final UserNames users;
    private final IdentityLookup identity;
    private RemoteNames names = RemoteNames.NONE;

    public JsonWriter(PrintStream out, UserNames users) {
        this(out, users, IdentityLookup.NONE);
    }

    /** @param identity what the runtime (Docker's name and image) and the cluster say of a row */
    public JsonWriter(PrintStream out, UserNames users, IdentityLookup identity) {
        this.out = out;
        this.users = users;
        this.identity = identity;
    }

    /** Where connection rows' remote ends get their names (DNS answers, reverse DNS). */
    public JsonWriter withNames(RemoteNames remoteNames) {
        this.names = remoteNames;
        return this;
    }

    static String kind(AccountSnapshot a) {
        return a.key().kind().label();
    }

    /** Writes one refresh's rows, a line each; the rows written (for the run's summary). */
    public List<AccountSnapshot> write(EngineSnapshot snapshot, RowFormat format) {
        StringBuilder b = new StringBuilder();
        String time = snapshot.time().toString();
        RejectedFrames rejected = RejectedFrames.of(snapshot.captures());
        List<AccountSnapshot> rows = format.rows(snapshot);
        for (AccountSnapshot a : rows) {
            b.append("{\"time\":");
            Json.string(b, time);
            b.append(",\"kind\":");
            Json.string(b, kind(a));
            b.append(",\"pid\":").append(a.pid()).append(",\"uid\":").append(a.uid()).append(",\"user\":");
            Json.string(b, a.isProcess() ? users.name(a.uid()) : "");
            b.append(",\"program\":");
            Json.string(b, format.commandLines().program(a));
            b.append(",\"command\":");
            Json.string(b, format.commandLines().command(a));
            b.append(",\"interfaces\":[");
            for (int i = 0; i < a.interfaces().size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                Json.string(b, snapshot.interfaceName(a.interfaces().get(i)));
            }
            b.append("],\"sent_bytes\":").append(a.sentBytes())
                    .append(",\"received_bytes\":").append(a.receivedBytes())
                    .append(",\"sent_packets\":").append(a.sentPackets())
                    .append(",\"received_packets\":").append(a.receivedPackets())
                    .append(",\"sent_bytes_per_second\":").append(String.format(Locale.ROOT, "%.1f", a.sentRate()))
                    .append(",\"received_bytes_per_second\":").append(String.format(Locale.ROOT, "%.1f", a.receivedRate()))
                    .append(",\"inferred_sent_bytes\":").append(a.inferredSentBytes())
                    .append(",\"inferred_received_bytes\":").append(a.inferredReceivedBytes())
                    .append(",\"netns\":").append(a.key().netns());
            if (a.key() instanceof ConnectionKey c) {
                connection(b, c, snapshot);
            } else if (a.key() instanceof PortKey p) {
                port(b, p);
            } else if (a.key() instanceof InterfaceKey i) {
                java.util.OptionalLong drops = snapshot.deviceKernelDrops(i.name());
                b.append(",\"device_kernel_drops\":").append(drops.isPresent() ? Long.toString(drops.getAsLong()) : "null");
            }
            CgroupIdentity cgroup = a.cgroup();
            b.append(",\"container_runtime\":");
            Json.string(b, cgroup.runtime());
            b.append(",\"container_id\":");
            Json.string(b, cgroup.containerId());
            b.append(",\"pod_uid\":");
            Json.string(b, cgroup.podUid());
            b.append(",\"qos_class\":");
            Json.string(b, cgroup.qos().apiName());
            Optional<ContainerInfo> info = cgroup.inContainer() ? identity.container(cgroup.containerId()) : Optional.empty();
            b.append(",\"container_name\":");
            Json.string(b, info.map(ContainerInfo::name).orElse(""));
            b.append(",\"container_image\":");
            Json.string(b, info.map(ContainerInfo::image).orElse(""));
            podFields(b, PodFields.of(a, identity));
            remotes(b, a);
            b
                    .append(",\"exited\":").append(a.exited())
                    .append(",\"kernel_drops\":").append(snapshot.kernelDrops())
                    .append(",\"rejected_frames\":{\"truncated\":").append(rejected.truncated())
                    .append(",\"malformed\":").append(rejected.malformed())
                    .append(",\"failed\":").append(rejected.failed())
                    .append("}}\n");
        }
        out.print(b);
        out.flush();
        return rows;
    }

    /**
     * A connection row's 5-tuple, from its socket's side; null for the rest of an owner's bytes
     * ({@link ConnectionKey#rest}).
     */
    private void connection(StringBuilder b, ConnectionKey c, EngineSnapshot snapshot) {
        b.append(",\"connection\":");
        if (c.flow() == null) {
            b.append("null");
            return;
        }
        b.append("{\"protocol\":");
        Json.string(b, c.protocol());
        field(b, "local", c.local());
        field(b, "remote", c.remote());
        field(b, "interface", snapshot.interfaceName(c.flow().ifindex()));
        field(b, "remote_class", c.remoteClass());
        field(b, "remote_name", names.name(c.peerName(), c.flow()));
        b.append(",\"inferred\":").append(c.inferred()).append('}');
    }

    /** A port row's service port (or named range) and how it is used here; null for the rest. */
    private static void port(StringBuilder b, PortKey p) {
        b.append(",\"port\":");
        if (p.protocol().isEmpty()) {
            b.append("null");
            return;
        }
        b.append("{\"protocol\":");
        Json.string(b, p.protocol());
        b.append(",\"low\":").append(p.low()).append(",\"high\":").append(p.high());
        field(b, "range", p.range());
        b.append(",\"served\":").append(p.served()).append('}');
    }

    private static void podFields(StringBuilder b, PodFields pod) {
        field(b, "namespace", pod.namespace());
        field(b, "pod", pod.pod());
        field(b, "container", pod.container());
        field(b, "workload_kind", pod.workloadKind());
        field(b, "workload_name", pod.workloadName());
        field(b, "node", pod.node());
        b.append(",\"labels\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(pod.labels()).entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            Json.string(b, e.getKey()).append(':');
            Json.string(b, e.getValue());
        }
        b.append('}');
    }

    private static void remotes(StringBuilder b, AccountSnapshot a) {
        b.append(",\"remote_classes\":{");
        boolean first = true;
        for (Map.Entry<RemoteClass, RemoteClassTraffic> e : a.byRemoteClass().entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            Json.string(b, e.getKey().label()).append(':');
            Traffic t = e.getValue().total();
            b.append("{\"sent_bytes\":").append(t.sentBytes())
                    .append(",\"received_bytes\":").append(t.receivedBytes())
                    .append(",\"sent_packets\":").append(t.sentPackets())
                    .append(",\"received_packets\":").append(t.receivedPackets())
                    .append(",\"sent_bytes_per_second\":").append(String.format(Locale.ROOT, "%.1f", e.getValue().sentRate()))
                    .append(",\"received_bytes_per_second\":")
                    .append(String.format(Locale.ROOT, "%.1f", e.getValue().receivedRate())).append('}');
        }
        b.append("},\"remote_peers\":[");
        first = true;
        for (Map.Entry<RemotePeer, Traffic> e : a.byRemote().entrySet()) {
            if (!e.getKey().named()) {
                continue;
            }
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append("{\"class\":");
            Json.string(b, e.getKey().remoteClass().label());
            field(b, "namespace", e.getKey().namespace());
            field(b, "name", e.getKey().name());
            b.append(",\"sent_bytes\":").append(e.getValue().sentBytes())
                    .append(",\"received_bytes\":").append(e.getValue().receivedBytes()).append('}');
        }
        b.append(']');
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        Json.string(b, value);
    }
}
