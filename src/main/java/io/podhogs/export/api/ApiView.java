package io.podhogs.export.api;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.attribution.ContainerOwner;
import io.podhogs.attribution.NamespaceOwner;
import io.podhogs.attribution.PodOwner;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.WorkloadOwner;
import io.podhogs.export.Levels;
import io.podhogs.export.PodFields;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.kubernetes.PodInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the JSON API serves: the rows of every level at the last refresh, immutable, rebuilt by the
 * agent's refresher and read by the HTTP threads.
 */
public final class ApiView {
    private final RowHistory history = new RowHistory();
    private volatile Snapshot current = new Snapshot(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** Every level's rows at one refresh. */
    public record Snapshot(List<Rows.Pod> pods, List<Rows.Container> containers, List<Rows.Process> processes,
                           List<Rows.Namespace> namespaces, List<Rows.Workload> workloads,
                           List<Rows.Interface> interfaces) {
    }

    public Snapshot current() {
        return current;
    }

    /** Rebuilds the rows from one refresh's levels (the refresher thread only). */
    public void update(Levels levels, IdentityLookup identity, long nowNanos) {
        history.beginRefresh();
        List<Rows.Pod> pods = new ArrayList<>();
        for (AccountSnapshot a : levels.pods()) {
            if (a.owner() instanceof PodOwner p && !p.namespace().isEmpty()) {
                PodFields f = PodFields.of(a, identity);
                boolean deleted = identity.pods().byUid(p.uid()).map(PodInfo::deleted).orElse(false);
                pods.add(new Rows.Pod(p.namespace(), p.podName(), p.uid(), f.workloadKind(), f.workloadName(), f.node(),
                        f.labels(), deleted, history.usage("pod/" + p.uid(), a, nowNanos)));
            }
        }
        List<Rows.Container> containers = new ArrayList<>();
        for (AccountSnapshot a : levels.containers()) {
            if (a.owner() instanceof ContainerOwner c) {
                PodFields f = PodFields.of(a, identity);
                containers.add(new Rows.Container(f.namespace(), f.pod(), f.container().isEmpty() ? c.name() : f.container(),
                        c.identity().containerId(), c.identity().runtime(), f.labels(),
                        history.usage("container/" + c.identity().containerId(), a, nowNanos)));
            }
        }
        List<Rows.Process> processes = new ArrayList<>();
        for (AccountSnapshot a : levels.processes()) {
            ProcessOwner p = (ProcessOwner) a.owner();
            PodFields f = PodFields.of(a, identity);
            List<String> interfaces = a.interfaces().stream().map(levels.snapshot()::interfaceName).toList();
            processes.add(new Rows.Process(a.pid(), a.program(), a.commandLine(), a.uid(), p.netns(), f.namespace(), f.pod(),
                    f.container(), interfaces, a.exited(), f.labels(),
                    history.usage("process/" + a.pid() + "/" + p.process().startTime(), a, nowNanos)));
        }
        List<Rows.Namespace> namespaces = new ArrayList<>();
        for (AccountSnapshot a : levels.namespaces()) {
            if (a.owner() instanceof NamespaceOwner n) {
                namespaces.add(new Rows.Namespace(n.namespace(), history.usage("namespace/" + n.namespace(), a, nowNanos)));
            }
        }
        List<Rows.Workload> workloads = new ArrayList<>();
        for (AccountSnapshot a : levels.workloads()) {
            if (a.owner() instanceof WorkloadOwner w) {
                workloads.add(new Rows.Workload(w.namespace(), w.workload().kind(), w.workload().name(),
                        history.usage("workload/" + w.namespace() + "/" + w.workload(), a, nowNanos)));
            }
        }
        List<Rows.Interface> interfaces = new ArrayList<>();
        levels.interfaces().forEach((i, t) -> {
            String name = levels.snapshot().interfaceName(i);
            interfaces.add(new Rows.Interface(name, history.usage("interface/" + i, t, Map.of(), nowNanos)));
        });
        history.endRefresh();
        current = new Snapshot(List.copyOf(pods), List.copyOf(containers), List.copyOf(processes), List.copyOf(namespaces),
                List.copyOf(workloads), List.copyOf(interfaces));
    }
}
