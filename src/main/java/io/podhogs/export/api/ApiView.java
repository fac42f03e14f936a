package io.podhogs.export.api;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.AppKey;
import io.podhogs.accounting.ContainerKey;
import io.podhogs.accounting.NamespaceKey;
import io.podhogs.accounting.PodKey;
import io.podhogs.accounting.WorkloadKey;
import io.podhogs.attribution.FlowKey;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.engine.Connections;
import io.podhogs.names.RemoteNames;
import io.podhogs.engine.FlowSnapshot;
import io.podhogs.export.CommandLineRedactor;
import io.podhogs.export.CommandLines;
import io.podhogs.export.Levels;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.export.PodFields;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.PodInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the JSON API serves: the rows of every level at the last refresh, immutable, rebuilt by the
 * agent's refresher and read by the HTTP threads.
 */
public final class ApiView {
    private final RowHistory history = new RowHistory();
    private final CommandLines commandLines;
    private final RemoteNames names;
    private volatile Snapshot current = new Snapshot(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), 0, Long.MIN_VALUE);

    /**
     * Every level's rows at one refresh.
     *
     * @param connectionsOmitted connections the engine tracked but did not copy (it copies the busiest)
     * @param connectionsNanos when the engine copied the flows the connections come from
     */
    public record Snapshot(List<Rows.Pod> pods, List<Rows.Container> containers, List<Rows.Process> processes,
                           List<Rows.Namespace> namespaces, List<Rows.Workload> workloads, List<Rows.App> apps,
                           List<Rows.Interface> interfaces, List<Rows.Connection> connections, long connectionsOmitted,
                           long connectionsNanos) {
    }

    /** @param commandLines programs and command lines with secrets hidden (the default) or whole */
    public ApiView(CommandLines commandLines) {
        this(commandLines, RemoteNames.NONE);
    }

    /** @param names where connections' remote ends get their names when the cluster has none for them */
    public ApiView(CommandLines commandLines, RemoteNames names) {
        this.commandLines = commandLines;
        this.names = names;
    }

    public Snapshot current() {
        return current;
    }

    /**
     * Rebuilds the rows from one refresh's levels and the engine's last copy of its flows (the
     * refresher thread only).
     */
    public void update(Levels levels, Connections listed, IdentityLookup identity, long nowNanos) {
        long flowsNanos = listed.copiedNanos();
        history.beginRefresh();
        List<Rows.Pod> pods = new ArrayList<>();
        for (AccountSnapshot a : levels.pods()) {
            if (a.key() instanceof PodKey p && !p.namespace().isEmpty()) {
                PodFields f = PodFields.of(a, identity);
                boolean deleted = identity.pods().byUid(p.uid()).map(PodInfo::deleted).orElse(false);
                pods.add(new Rows.Pod(p.namespace(), p.podName(), p.uid(), f.workloadKind(), f.workloadName(), f.node(),
                        f.labels(), deleted, history.usage("pod/" + p.uid(), a, nowNanos)));
            }
        }
        List<Rows.Container> containers = new ArrayList<>();
        for (AccountSnapshot a : levels.containers()) {
            if (a.key() instanceof ContainerKey c) {
                PodFields f = PodFields.of(a, identity);
                containers.add(new Rows.Container(f.namespace(), f.pod(), f.container().isEmpty() ? c.name() : f.container(),
                        c.cgroup().containerId(), c.cgroup().runtime(), f.labels(),
                        history.usage("container/" + c.cgroup().containerId(), a, nowNanos)));
            }
        }
        List<Rows.Process> processes = new ArrayList<>();
        for (AccountSnapshot a : levels.processes()) {
            ProcessOwner p = a.key().process();
            PodFields f = PodFields.of(a, identity);
            List<String> interfaces = a.interfaces().stream().map(levels.snapshot()::interfaceName).toList();
            processes.add(new Rows.Process(a.pid(), commandLines.program(a), commandLines.command(a), a.uid(), p.netns(), f.namespace(), f.pod(),
                    f.container(), interfaces, a.exited(), f.labels(),
                    history.usage("process/" + a.pid() + "/" + p.process().startTime(), a, nowNanos)));
        }
        AccountSnapshot filtered = levels.filtered();
        if (filtered != null) {
            // What the agent's filter left out, one row as the command line shows it: no byte disappears.
            List<String> interfaces = filtered.interfaces().stream().map(levels.snapshot()::interfaceName).toList();
            processes.add(new Rows.Process(0, filtered.program(), filtered.program(), 0, -1, "", "", "", interfaces,
                    false, Map.of(), history.usage("filtered", filtered, nowNanos)));
        }
        List<Rows.Namespace> namespaces = new ArrayList<>();
        for (AccountSnapshot a : levels.namespaces()) {
            if (a.key() instanceof NamespaceKey n) {
                namespaces.add(new Rows.Namespace(n.namespace(), history.usage("namespace/" + n.namespace(), a, nowNanos)));
            }
        }
        List<Rows.Workload> workloads = new ArrayList<>();
        for (AccountSnapshot a : levels.workloads()) {
            if (a.key() instanceof WorkloadKey w) {
                workloads.add(new Rows.Workload(w.namespace(), w.workload().kind(), w.workload().name(),
                        history.usage("workload/" + w.namespace() + "/" + w.workload(), a, nowNanos)));
            }
        }
        List<Rows.App> apps = new ArrayList<>();
        for (AccountSnapshot a : levels.apps()) {
            if (a.key() instanceof AppKey app) {
                apps.add(new Rows.App(app.name(), history.usage("app/" + app.name(), a, nowNanos)));
            }
        }
        List<Rows.Interface> interfaces = new ArrayList<>();
        levels.interfaces().forEach((i, t) -> {
            String name = levels.snapshot().interfaceName(i);
            interfaces.add(new Rows.Interface(name, history.usage("interface/" + i, t, Map.of(), nowNanos)));
        });
        List<Rows.Connection> connections = new ArrayList<>();
        for (FlowSnapshot f : listed.flows()) {
            if (!levels.shows().test(f.owner())) {
                continue; // its bytes are in the 'filtered' row
            }
            // Timed by the copy, not the refresh: the engine copies once a second, the refresher may run more often.
            connections.add(connection(f, levels, identity, flowsNanos));
        }
        history.endRefresh();
        current = new Snapshot(List.copyOf(pods), List.copyOf(containers), List.copyOf(processes), List.copyOf(namespaces),
                List.copyOf(workloads), List.copyOf(apps), List.copyOf(interfaces), List.copyOf(connections), listed.omitted(), flowsNanos);
    }

    private Rows.Connection connection(FlowSnapshot f, Levels levels, IdentityLookup identity, long nowNanos) {
        FlowKey k = f.key();
        CgroupIdentity cgroup = f.owner() instanceof ProcessOwner p ? p.process().cgroup()
                : levels.snapshot().containersByNetns().getOrDefault(f.owner().netns(), CgroupIdentity.NONE);
        PodFields pod = PodFields.of(cgroup, identity);
        String protocol = switch (k.protocol()) {
            case ParsedPacket.TCP -> "tcp";
            case ParsedPacket.UDP -> "udp";
            default -> Integer.toString(k.protocol());
        };
        String key = "connection/" + k;
        return new Rows.Connection(protocol, Addresses.endpoint(k.localHi(), k.localLo(), k.localPort()),
                Addresses.endpoint(k.remoteHi(), k.remoteLo(), k.remotePort()), levels.snapshot().interfaceName(k.ifindex()),
                f.owner() instanceof ProcessOwner p ? p.process().pid() : 0, program(f), f.owner().netns(),
                pod.namespace(), pod.pod(), pod.container(), f.peer() == null ? "" : f.peer().remoteClass().label(),
                names.name(f.peer() == null ? "" : f.peer().qualifiedName(), k), f.inferred(), pod.labels(),
                history.usage(key, f.credited(), Map.of(), nowNanos));
    }

    /** A process owner's program (as the process rows show it), another owner's name. */
    private String program(FlowSnapshot f) {
        String name = f.owner().name();
        return f.owner() instanceof ProcessOwner && !commandLines.full() ? CommandLineRedactor.words(name) : name;
    }

}
