package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ContainerInfo;
import java.util.Optional;
import java.util.function.Function;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code --json}: one JSON object a line, per account per refresh, for scripts. Bytes are whole
 * numbers and rates are bytes per second over the rate window, whatever the view mode. {@code kind}
 * is process, unknown, forwarded or encapsulated; {@code netns} the inode of the namespace whose side of the
 * interfaces the account is on (0: the host's); the inferred bytes are those of connections whose
 * owner was inferred because their sockets were gone before they could be looked up; the container
 * fields come from the process's cgroup (empty when it names none: every non-process account), the
 * container's name and image from its runtime (empty without one).
 */
public final class JsonWriter {
    private final PrintStream out;
    private final UserNames users;
    private final Function<String, Optional<ContainerInfo>> containers;

    public JsonWriter(PrintStream out, UserNames users) {
        this(out, users, id -> Optional.empty());
    }

    /** @param containers what the runtime says of a container ID (Docker's name and image) */
    public JsonWriter(PrintStream out, UserNames users, Function<String, Optional<ContainerInfo>> containers) {
        this.out = out;
        this.users = users;
        this.containers = containers;
    }

    public void write(EngineSnapshot snapshot, RowFormat format) {
        StringBuilder b = new StringBuilder();
        String time = snapshot.time().toString();
        for (AccountSnapshot a : format.rows(snapshot)) {
            b.append("{\"time\":");
            Json.string(b, time);
            b.append(",\"kind\":").append(a.isProcess() ? "\"process\""
                    : a.owner() instanceof io.podhogs.attribution.ContainerOwner ? "\"container\""
                    : a.owner() instanceof TransitOwner t ? (t.name().startsWith("encapsulated") ? "\"encapsulated\""
                    : "\"forwarded\"") : "\"unknown\"");
            b.append(",\"pid\":").append(a.pid()).append(",\"uid\":").append(a.uid()).append(",\"user\":");
            Json.string(b, a.isProcess() ? users.name(a.uid()) : "");
            b.append(",\"program\":");
            Json.string(b, a.program());
            b.append(",\"command\":");
            Json.string(b, a.commandLine());
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
                    .append(",\"netns\":").append(a.owner().netns());
            CgroupIdentity cgroup = a.cgroup();
            b.append(",\"container_runtime\":");
            Json.string(b, cgroup.runtime());
            b.append(",\"container_id\":");
            Json.string(b, cgroup.containerId());
            b.append(",\"pod_uid\":");
            Json.string(b, cgroup.podUid());
            b.append(",\"qos_class\":");
            Json.string(b, cgroup.qos().apiName());
            Optional<ContainerInfo> info = cgroup.inContainer() ? containers.apply(cgroup.containerId()) : Optional.empty();
            b.append(",\"container_name\":");
            Json.string(b, info.map(ContainerInfo::name).orElse(""));
            b.append(",\"container_image\":");
            Json.string(b, info.map(ContainerInfo::image).orElse(""));
            b
                    .append(",\"exited\":").append(a.exited())
                    .append(",\"kernel_drops\":").append(snapshot.kernelDrops())
                    .append("}\n");
        }
        out.print(b);
        out.flush();
    }
}
