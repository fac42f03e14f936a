package io.podhogs.engine;

import io.podhogs.accounting.ExitedProcessesKey;
import io.podhogs.accounting.Ledger;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.attribution.FlowResolver;
import io.podhogs.attribution.FlowTable;
import io.podhogs.attribution.FlowTableView;
import io.podhogs.attribution.HostSocketLookup;
import io.podhogs.attribution.LookupBacklog;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.ProcessReader;
import io.podhogs.capture.Capture;
import io.podhogs.capture.CaptureException;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.ClusterView;
import java.time.Clock;
import java.util.HashSet;
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
    /**
     * After this many ticks with nothing to do (and a whole rate window without bytes) the engine
     * goes quiet: it ticks once a second (the slow work's pace) until the next packet, which wakes
     * it at once (FlowTable#wakeOnNextPacket). An idle host's engine so does a tenth of the
     * passes; no byte waits longer to be counted.
     */
    private static final int QUIET_AFTER_TICKS = 10;
    /**
     * A quiet engine's tick; also the span within which a second wake means traffic: a lone packet
     * (a router solicitation, an ARP probe, an NTP poll) is counted at once and leaves the engine
     * quiet, where it used to bring back ten ticks a second for a whole rate window and a namespace
     * scan a second: about 50 ms of CPU a packet on an idle host (BENCHMARKS.md, "Idle").
     */
    private static final long QUIET_TICK_NANOS = 1_000_000_000L;
    private static final long QUIET_NAMESPACE_SCAN_NANOS = 5_000_000_000L;
    private static final long SLOW_WORK_NANOS = 1_000_000_000L;
    private static final long CLOSE_WAIT_MILLIS = 3_000;

    private final EngineConfig config;
    private final EngineParts parts;
    private final LongSupplier clock;
    private final Clock wallClock;
    private final ProcessReader processes;
    private final HostSocketLookup hostLookup;
    private final FlowResolver resolver;
    private final Ledger ledger;
    private final FlowTableView view = new FlowTableView();
    private final AtomicBoolean newFlows = new AtomicBoolean();
    private final FlowTable table;
    private final FlowBook flows;
    private final InterfaceRoles interfaces;
    private Capture capture;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile EngineSnapshot snapshot;
    /** When {@link #snapshot} was last published (the engine's clock): a stalled or dead engine stops publishing. */
    private volatile long publishedNanos;
    private volatile Throwable failure;
    /** Ticking once a second while nothing flows (see {@link #QUIET_AFTER_TICKS}); the engine thread writes it. */
    private volatile boolean quiet;
    private volatile ClusterView cluster = ClusterView.NONE;
    /** Until when someone wants the flows (the API's connections); they are copied only then. */
    private volatile long flowsWantedUntilNanos;
    private volatile Connections connections = Connections.NONE;
    /** Where credited bytes are recorded; null: nowhere (no history). Set before {@link #start}. */
    private HistorySink history;
    private long lastSlowWork;
    /** When the namespaces were last scanned (the engine's clock). */
    private long namespacesScanned;
    private boolean scanNamespaces = true;
    private long lastErrorLog = Long.MIN_VALUE / 2;

    /** An engine on the host's own interfaces, sockets, capture and clocks. */
    public Engine(EngineConfig config, HostFiles host) {
        this(config, EngineParts.of(host));
    }

    public Engine(EngineConfig config, EngineParts parts) {
        this.config = config;
        this.parts = parts;
        this.clock = parts.nanoTime();
        this.wallClock = parts.wallClock();
        this.publishedNanos = clock.getAsLong();
        this.flowsWantedUntilNanos = publishedNanos; // nobody has asked yet
        this.processes = new ProcessReader(parts.host());
        this.hostLookup = parts.sockets();
        this.resolver = new FlowResolver(parts.host(), processes, clock, hostLookup, parts.namespaceSockets(),
                parts.linkPeers(), config.lookupGrace().toNanos(), LookupBacklog.DEFAULT, parts.conntrackInBackground());
        this.ledger = new Ledger(config.rateWindow().toNanos(), EngineConfig.TICK.toNanos());
        this.table = new FlowTable(1 << 14, config.maxFlows(), this::wake);
        this.flows = new FlowBook(table, view);
        this.interfaces = new InterfaceRoles(parts.interfaces(), config.capture(), config.exitedRetention().toNanos(),
                resolver, table, ledger);
    }

    /**
     * Hands what the engine credits to {@code sink} from now on, once a second and at the stop (see
     * {@link HistorySink}). Before {@link #start}.
     */
    public void recordHistory(HistorySink sink) {
        if (thread != null) {
            throw new IllegalStateException("the history is set before the engine starts");
        }
        ledger.startRecording();
        history = sink;
    }

    /** Opens the capture and starts counting; the first snapshot is there when this returns. */
    public void start() throws CaptureException {
        open();
        thread = new Thread(this::run, "podhogs-engine");
        thread.setDaemon(true);
        // An Error that escapes a cycle ends the thread: kept for the owner to say (EngineWatch), once.
        thread.setUncaughtExceptionHandler((t, e) -> failure = e);
        thread.start();
    }

    /**
     * Opens the capture and publishes the first snapshot, without the engine thread: {@link #start}
     * then starts the thread, a test instead moves its clock and calls {@link #step} itself.
     */
    void open() throws CaptureException {
        interfaces.refresh(clock.getAsLong());
        capture = parts.captures().start(config.capture(), parts.interfaces(), table, table::announce);
        interfaces.capture(capture);
        running = true;
        cycle(clock.getAsLong(), 1);
        if (snapshot == null) {
            publish(); // the first cycle failed (and said why): the exports still need something to show
        }
    }

    /**
     * One pass at the clock's time, on the caller's thread: a tick, or a wake-up for new flows. Only
     * for an engine that was {@link #open opened} without its thread, whose state is no other's.
     */
    void step(boolean tick) {
        if (thread != null) {
            throw new IllegalStateException("the engine thread runs the cycles");
        }
        cycle(clock.getAsLong(), tick ? 1 : 0);
    }

    /**
     * The last pass's snapshot. A quiet engine's is what a pass now would find (no packet since: it
     * would have woken the engine; every rate zero: it went quiet only after a whole rate window
     * without bytes), so it is given as of now, as a refresh faster than a second expects.
     */
    public EngineSnapshot snapshot() {
        EngineSnapshot last = snapshot;
        return quiet && last != null ? last.at(wallClock.instant()) : last;
    }

    /**
     * When the last snapshot was published, on the engine's clock (System.nanoTime on a host): the
     * health of the engine thread.
     */
    public long publishedNanos() {
        return publishedNanos;
    }

    /** What ended the engine thread, null while it runs (or when it was stopped). */
    public Throwable failure() {
        return failure;
    }

    /** Whether the engine ticks once a second for want of traffic. */
    boolean quiet() {
        return quiet;
    }

    /** The engine thread, null before {@link #start}: for the engine's own tests. */
    Thread thread() {
        return thread;
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
        wantConnections();
        return connections;
    }

    /**
     * Asks for the connections to be copied into the snapshots ({@link EngineSnapshot#connections})
     * every second for the next 10 s: the command line's connection rows, whose bytes must add up
     * with the accounts of the same snapshot.
     */
    public void wantConnections() {
        flowsWantedUntilNanos = clock.getAsLong() + 10_000_000_000L;
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
            finish();
        }
    }

    /** Credits what the capture counted last, and lets the lookups go. */
    private void finish() {
        cycle(clock.getAsLong(), 1);
        if (history != null) {
            history.accept(drain()); // the last bytes, whatever the sink's room: it is told the engine stops
        }
        hostLookup.close();
        resolver.close();
        parts.interfaces().close();
    }

    private void loop() {
        long tick = EngineConfig.TICK.toNanos();
        long nextTick = clock.getAsLong() + tick;
        long lastCycle = 0;
        long lastTick = clock.getAsLong();
        long lastWake = lastTick - QUIET_TICK_NANOS;
        int idleTicks = 0;
        // Quiet only once every rate is zero: a whole rate window without a byte, a second at least.
        long quietAfterTicks = Math.max(QUIET_AFTER_TICKS, config.rateWindow().toNanos() / tick + 1);
        while (running) {
            long now = clock.getAsLong();
            if (quiet && newFlows.get()) {
                // A packet or a new flow woke a quiet engine: a whole tick now (its bytes counted, a
                // new flow looked up while its socket exists). A second wake within a quiet tick is
                // traffic: quick ticks again; one alone leaves the engine quiet (QUIET_TICK_NANOS).
                if (now - lastWake < QUIET_TICK_NANOS) {
                    quiet = false;
                }
                lastWake = now;
                nextTick = now;
            }
            if (now - nextTick >= 0) {
                int ticks = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (now - lastTick + tick / 2) / tick));
                boolean busy = cycle(now, ticks);
                lastCycle = now;
                lastTick = now;
                idleTicks = busy ? 0 : idleTicks + 1;
                if (!quiet && idleTicks >= quietAfterTicks) {
                    quiet = true;
                }
                if (quiet) {
                    table.wakeOnNextPacket(); // again after a wake, which took it
                }
                nextTick += quiet ? QUIET_TICK_NANOS : tick;
                if (now - nextTick > tick) {
                    nextTick = now + tick; // fell behind (suspended machine): do not replay ticks
                }
            } else if (newFlows.get() && now - lastCycle >= WAKE_FLOOR_MILLIS * 1_000_000L) {
                cycle(now, 0);
                lastCycle = now;
            } else {
                long until = newFlows.get() ? Math.min(nextTick, lastCycle + WAKE_FLOOR_MILLIS * 1_000_000L) : nextTick;
                LockSupport.parkNanos(Math.max(1, until - now));
                // Nothing stops the engine by interrupting it (close() clears running and unparks), so
                // an interrupt is stray (a library's, a debugger's): left set, it makes every park
                // return at once and the loop spins a core for as long as the process lives.
                Thread.interrupted();
            }
        }
    }

    /**
     * One pass. On a tick: exchange with the table, look up new flows, credit, publish. Between
     * ticks, woken by new flows: only take the new flows and look them up.
     *
     * @param ticks ticks since the last tick's pass (more than one after a quiet spell); 0 for a
     *     pass between ticks
     * @return whether the pass found anything to do: bytes to credit, flows new or gone, new ones
     *     being looked up
     */
    private boolean cycle(long now, int ticks) {
        boolean tick = ticks > 0;
        boolean busy = false;
        try {
            newFlows.set(false);
            if (tick) {
                view.beginExchange();
                table.exchange(view);
            } else {
                table.takeNewFlows(view); // a wake-up for new flows: no counter copy, no crediting
            }
            busy = view.newCount() > 0 || view.releasedCount() > 0 || resolver.lookingUpNewFlows(now);
            flows.takeNewAndReleased(now, flow -> {
                interfaces.flowOn(flow.key().ifindex());
                resolver.add(flow);
            });
            if (quiet && view.newCount() > 0) {
                scanNamespaces = true; // a quiet engine's scan is 5 s old: a new flow may need a newer one
            }
            interfaces.refreshIfStale(now);
            resolver.resolvePending(tick);
            if (tick) {
                busy |= flows.credit(now, ticks, ledger, cluster.classifier(), resolver::netnsBehind);
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
            busy = true;
        }
        return busy;
    }

    private void slowWork(long now) {
        capture.restartStopped(now);
        interfaces.refresh(now);
        // A scan reads a link of every process; while quiet (no flow to resolve) every few seconds
        // will do, and the first slow work after a wake scans again (see loop()).
        if (!quiet || scanNamespaces || now - namespacesScanned >= QUIET_NAMESPACE_SCAN_NANOS) {
            namespacesScanned = now;
            scanNamespaces = false;
            resolver.refreshNamespaces();
        }
        ledger.markExited(this::exited);
        Set<Integer> live = new HashSet<>();
        for (ProcessOwner p : ledger.liveProcesses()) {
            live.add(p.process().pid());
        }
        resolver.retainProcesses(live);
        DeletedPods.retire(cluster.pods(), wallClock.instant(), ledger, resolver, now);
        ledger.retireExited(config.exitedRetention().toNanos(), EngineConfig.MAX_EXITED_PROCESSES, now);
        GoneNamespaces.fold(ledger, resolver.liveNamespaces(), resolver.containersByNetns(),
                config.exitedRetention().toNanos(), now);
        if (history != null && history.hasRoom()) {
            history.accept(drain());
        }
    }

    private HistorySink.Drain drain() {
        return new HistorySink.Drain(wallClock.instant(), ledger.drainUnrecorded(), resolver.containersByNetns());
    }

    private boolean exited(ProcessOwner owner) {
        return processes.startTime(owner.process().pid()) != owner.process().startTime();
    }

    private void publish() {
        snapshot = new EngineSnapshot(wallClock.instant(), ledger.snapshot(), capture.status(), interfaces.names(),
                view.size(), view.overflowPackets(), resolver.stats(), capture.description(),
                resolver.containersByNetns(), interfaces.live(), capture.helperStatus(), table.maxCapacity(),
                connections);
        publishedNanos = clock.getAsLong();
    }

    /** Stops capturing, credits what is left, and publishes a last snapshot. */
    @Override
    public void close() {
        if (capture == null) {
            return;
        }
        capture.close();
        boolean wasRunning = running;
        running = false;
        Thread engineThread = thread;
        if (engineThread == null) {
            if (wasRunning) {
                finish(); // opened without its thread: the last cycle is the caller's, once
            }
        } else {
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
