package io.podhogs.engine;

import io.podhogs.accounting.Ledger;
import io.podhogs.attribution.FlowResolver;
import io.podhogs.attribution.FlowTable;
import io.podhogs.attribution.FlowTableView;
import io.podhogs.attribution.HostSocketLookup;
import io.podhogs.attribution.LookupBacklog;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.ProcessReader;
import io.podhogs.attribution.TrackedFlow;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.capture.Capture;
import io.podhogs.capture.CaptureException;
import io.podhogs.capture.NetInterface;
import io.podhogs.capture.NetInterfaces;
import io.podhogs.attribution.Owner;
import io.podhogs.attribution.RetiredPodsOwner;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ClusterView;
import io.podhogs.identity.RemoteClassifier;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Runs the pipeline: the capture threads fill the {@link FlowTable}; one engine thread takes new
 * flows to the resolver, credits flows' new bytes to their owners' accounts, and publishes an
 * {@link EngineSnapshot} every tick for the exports to read.
 *
 * <p>The engine thread wakes on every tick and also, at most every {@value #WAKE_FLOOR_MILLIS} ms,
 * when a capture thread reports a new flow: looking a flow up while its socket still exists is
 * what makes short connections exact.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class);
    private static final long WAKE_FLOOR_MILLIS = 1;
    private static final long SLOW_WORK_NANOS = 1_000_000_000L;
    private static final long INTERFACES_FLOOR_NANOS = 100_000_000L;
    private static final long CLOSE_WAIT_MILLIS = 3_000;

    private final EngineConfig config;
    private final HostFiles host;
    private final LongSupplier clock = System::nanoTime;
    private final ProcessReader processes;
    private final NetInterfaces interfaces;
    private final HostSocketLookup hostLookup = HostSocketLookup.sockDiag();
    private final FlowResolver resolver;
    private final Ledger ledger;
    private final FlowTableView view = new FlowTableView();
    private final InterfaceNames interfaceNames = new InterfaceNames();
    private Map<Integer, NetInterface> currentInterfaces = Map.of();
    private long interfacesReadNanos = Long.MIN_VALUE;
    private boolean interfacesStale;
    private final Set<Integer> interfacesWithFlows = new HashSet<>();
    private final AtomicBoolean newFlows = new AtomicBoolean();
    private final FlowTable table;
    private final FlowBook flows;
    private Capture capture;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile EngineSnapshot snapshot;
    /** When {@link #snapshot} was last published (System.nanoTime): a stalled or dead engine stops publishing. */
    private volatile long publishedNanos = System.nanoTime();
    private volatile Throwable failure;
    private volatile ClusterView cluster = ClusterView.NONE;
    /** Until when someone wants the flows (the API's connections); they are copied only then. */
    private volatile long flowsWantedUntilNanos = System.nanoTime(); // nobody has asked yet
    private volatile Connections connections = Connections.NONE;
    private long lastSlowWork;
    private long lastErrorLog = Long.MIN_VALUE / 2;

    public Engine(EngineConfig config, HostFiles host) {
        this.config = config;
        this.host = host;
        this.processes = new ProcessReader(host);
        this.interfaces = new NetInterfaces(host);
        this.resolver = new FlowResolver(host, processes, clock, hostLookup, config.lookupGrace().toNanos(),
                LookupBacklog.DEFAULT, true);
        this.ledger = new Ledger(config.rateWindow().toNanos(), EngineConfig.TICK.toNanos());
        this.table = new FlowTable(1 << 14, config.maxFlows(), this::wake);
        this.flows = new FlowBook(table, view);
    }

    /** Opens the capture and starts counting; the first snapshot is there when this returns. */
    public void start() throws CaptureException {
        refreshInterfaces(clock.getAsLong());
        capture = Capture.start(config.capture(), interfaces, table, table::announce);
        running = true;
        cycle(clock.getAsLong(), true);
        if (snapshot == null) {
            publish(); // the first cycle failed (and said why): the exports still need something to show
        }
        thread = new Thread(this::run, "podhogs-engine");
        thread.setDaemon(true);
        // An Error that escapes a cycle ends the thread: kept for the owner to say (EngineWatch), once.
        thread.setUncaughtExceptionHandler((t, e) -> failure = e);
        thread.start();
    }

    public EngineSnapshot snapshot() {
        return snapshot;
    }

    /** When the last snapshot was published (System.nanoTime): the health of the engine thread. */
    public long publishedNanos() {
        return publishedNanos;
    }

    /** What ended the engine thread, null while it runs (or when it was stopped). */
    public Throwable failure() {
        return failure;
    }

    /** Started and not closed, and its thread still running. */
    public boolean alive() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    /**
     * The connections the API lists, copied at the engine's next second for a while after each call
     * (a node may track a million flows: a bounded number of them is copied, and only while someone
     * looks). {@link Connections#NONE} until then.
     */
    public Connections connections() {
        flowsWantedUntilNanos = clock.getAsLong() + 10_000_000_000L;
        return connections;
    }

    /** The last copy of the connections, without asking for more. */
    public Connections lastConnections() {
        return connections;
    }

    /**
     * What a cluster says (Kubernetes): remote classes for every credited byte, and deleted pods
     * whose accounts to retire. Read as snapshots on the engine thread, never per packet.
     */
    public void cluster(ClusterView view) {
        this.cluster = view;
    }

    private void wake() {
        if (!newFlows.get() && newFlows.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        try {
            loop();
        } finally {
            cycle(clock.getAsLong(), true); // credit what the capture counted last, on this thread
            hostLookup.close();
            resolver.close();
        }
    }

    private void loop() {
        long tick = EngineConfig.TICK.toNanos();
        long nextTick = clock.getAsLong() + tick;
        long lastCycle = 0;
        while (running) {
            long now = clock.getAsLong();
            if (now - nextTick >= 0) {
                cycle(now, true);
                lastCycle = now;
                nextTick += tick;
                if (now - nextTick > tick) {
                    nextTick = now + tick; // fell behind (suspended machine): do not replay ticks
                }
            } else if (newFlows.get() && now - lastCycle >= WAKE_FLOOR_MILLIS * 1_000_000L) {
                cycle(now, false);
                lastCycle = now;
            } else {
                long until = newFlows.get() ? Math.min(nextTick, lastCycle + WAKE_FLOOR_MILLIS * 1_000_000L) : nextTick;
                LockSupport.parkNanos(Math.max(1, until - now));
            }
        }
    }

    /**
     * One pass. On a tick: exchange with the table, look up new flows, credit, publish. Between
     * ticks, woken by new flows: only take the new flows and look them up.
     */
    private void cycle(long now, boolean tick) {
        try {
            newFlows.set(false);
            if (tick) {
                view.beginExchange();
                table.exchange(view);
            } else {
                table.takeNewFlows(view); // a wake-up for new flows: no counter copy, no crediting
            }
            takeNewAndReleasedFlows(now);
            if (interfacesStale && now - interfacesReadNanos >= INTERFACES_FLOOR_NANOS) {
                interfacesStale = false;
                refreshInterfaces(now);
            }
            resolver.resolvePending(tick);
            if (tick) {
                flows.credit(now, ledger, cluster.classifier(), resolver::netnsBehind);
                flows.expireIdle((int) (config.flowIdleTimeout().toNanos() / EngineConfig.TICK.toNanos()));
                ledger.sample(now);
                if (now - lastSlowWork >= SLOW_WORK_NANOS) {
                    lastSlowWork = now;
                    slowWork(now);
                    if (flowsWantedUntilNanos - now > 0) {
                        connections = flows.connections(EngineConfig.LISTED_CONNECTIONS, now);
                    } else if (connections != Connections.NONE) {
                        connections = Connections.NONE; // nobody looks any more: let the copy go
                    }
                }
                publish();
            }
        } catch (RuntimeException e) {
            // One bad cycle must not stop counting: the counters stay in the table for the next.
            if (now - lastErrorLog > SLOW_WORK_NANOS) {
                lastErrorLog = now;
                LOG.errorf("engine cycle failed: %s", e);
            }
        }
    }

    private void takeNewAndReleasedFlows(long now) {
        flows.takeNewAndReleased(now, flow -> {
            int ifindex = flow.key().ifindex();
            if (!currentInterfaces.containsKey(ifindex)) {
                interfacesStale = true; // an interface new since the last look: learn its role first
            } else if (interfacesWithFlows.add(ifindex)) {
                rereadInterface(ifindex); // its first traffic: its role (bridge port ...) as it is now
            }
            resolver.add(flow);
        });
    }

    private void slowWork(long now) {
        capture.restartStopped(now);
        refreshInterfaces(now);
        resolver.refreshNamespaces();
        ledger.markExited(this::exited);
        Set<Integer> live = new HashSet<>();
        for (ProcessOwner p : ledger.liveProcesses()) {
            live.add(p.process().pid());
        }
        resolver.retainProcesses(live);
        retireDeletedPods(now);
        ledger.retireExited(config.exitedRetention().toNanos(), EngineConfig.MAX_EXITED_PROCESSES, now);
        GoneNamespaces.fold(ledger, resolver.liveNamespaces(), resolver.containersByNetns(),
                config.exitedRetention().toNanos(), now);
    }

    /**
     * Folds the accounts of pods deleted longer than the grace period ago into their workload's
     * retired totals: processes by their cgroup, a namespace's other traffic by its container.
     */
    private void retireDeletedPods(long now) {
        PodDirectory pods = cluster.pods();
        if (pods.pods().stream().noneMatch(PodInfo::deleted)) {
            return;
        }
        Instant wallNow = Instant.now();
        Map<Long, CgroupIdentity> byNetns = resolver.containersByNetns();
        // A pod past its grace has no namespace left: a live one under its inode is another pod's.
        Set<Long> live = resolver.liveNamespaces();
        java.util.function.Function<CgroupIdentity, PodInfo> expired = c -> c == null || !(c.inPod() || c.inContainer())
                ? null : pods.pod(c.podUid(), c.containerId()).filter(p -> pods.pastGrace(p, wallNow)).orElse(null);
        ledger.retire(owner -> {
            PodInfo pod = expired.apply(owner instanceof ProcessOwner p ? p.process().cgroup()
                    : owner instanceof io.podhogs.attribution.ExitedProcessesOwner e ? e.cgroup()
                    : owner.netns() > 0 && !live.contains(owner.netns()) ? byNetns.get(owner.netns()) : null);
            return pod == null ? null : (Owner) new RetiredPodsOwner(pod.namespace(), pod.workload());
        }, now);
        resolver.forgetContainers(c -> expired.apply(c) != null);
    }

    private boolean exited(ProcessOwner owner) {
        return processes.startTime(owner.process().pid()) != owner.process().startTime();
    }

    /** Reads one interface again: a veth is often made a bridge port after it was first seen. */
    private void rereadInterface(int ifindex) {
        NetInterface known = currentInterfaces.get(ifindex);
        NetInterface now = interfaces.byName(known.name()).orElse(null);
        if (now != null && now.index() == ifindex && !now.equals(known)) {
            Map<Integer, NetInterface> updated = new HashMap<>(currentInterfaces);
            updated.put(ifindex, now);
            publishInterfaces(updated);
        }
    }

    /**
     * Reads the interfaces and hands their roles on: to the resolver, and to the packet path, which
     * stops counting a far side for interfaces that have none (physical devices, bridges, lo).
     */
    private void refreshInterfaces(long now) {
        interfacesReadNanos = now;
        Map<Integer, NetInterface> current = new HashMap<>();
        Map<Integer, String> names = new HashMap<>();
        for (NetInterface i : interfaces.list()) {
            current.put(i.index(), i);
            names.put(i.index(), i.name());
        }
        interfaceNames.present(names, now);
        if (interfaceNames.expire(config.exitedRetention().toNanos(), now)) {
            ledger.foldInterfaces(i -> !interfaceNames.named(i), InterfaceNames.GONE);
        }
        interfacesWithFlows.retainAll(current.keySet());
        publishInterfaces(current);
    }

    private void publishInterfaces(Map<Integer, NetInterface> current) {
        int maxIndex = current.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        byte[] noFarSide = new byte[maxIndex + 1];
        current.values().forEach(i -> noFarSide[i.index()] = (byte) (i.netnsBoundary() ? 0 : 1));
        currentInterfaces = Map.copyOf(current);
        Set<Integer> uncounted = new HashSet<>();
        current.values().forEach(i -> {
            if (!config.capture().counts(i)) {
                uncounted.add(i.index());
            }
        });
        resolver.interfaces(currentInterfaces, uncounted);
        table.noFarSide(noFarSide);
        if (capture != null) {
            capture.interfacesChanged(currentInterfaces.values());
        }
    }

    private void publish() {
        snapshot = new EngineSnapshot(Instant.now(), ledger.snapshot(), capture.status(), interfaceNames.copy(),
                view.size(), view.overflowPackets(), resolver.stats(), capture.description(),
                resolver.containersByNetns(), Set.copyOf(currentInterfaces.keySet()), capture.helperStatus(),
                table.maxCapacity());
        publishedNanos = clock.getAsLong();
    }

    /** Stops capturing, credits what is left, and publishes a last snapshot. */
    @Override
    public void close() {
        if (capture == null) {
            return;
        }
        capture.close();
        running = false;
        Thread engineThread = thread;
        if (engineThread != null) {
            LockSupport.unpark(engineThread);
            try {
                // It runs the last cycle itself: no two threads in the engine's state. Bounded, so that
                // a stalled engine cannot hold a stop past the kubelet's grace period.
                engineThread.join(CLOSE_WAIT_MILLIS);
                if (engineThread.isAlive()) {
                    LOG.warnf("the engine thread did not stop within %d ms; leaving it to the process's exit",
                            CLOSE_WAIT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
