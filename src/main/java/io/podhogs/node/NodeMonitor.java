package io.podhogs.node;

import io.podhogs.capture.CaptureException;
import io.podhogs.engine.Engine;
import io.podhogs.engine.EngineConfig;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.Identities;
import io.podhogs.identity.kubernetes.KubernetesIdentity;
import io.podhogs.identity.kubernetes.KubernetesOptions;
import java.time.Duration;
import java.util.Optional;

/**
 * This node's engine and the names beside it (Docker's, the cluster's), wired together the one way
 * both front ends use: the command line ({@code podhogs}) and the node agent ({@code podhogs agent}).
 * What each shows of it is theirs.
 */
public final class NodeMonitor implements AutoCloseable {
    /** How long the opening waits for the cluster's first lists. */
    private static final Duration FIRST_LISTS = Duration.ofSeconds(5);

    private final Engine engine;
    private final Identities identities;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private NodeMonitor(Engine engine, Identities identities) {
        this.engine = engine;
        this.identities = identities;
    }

    /**
     * The engine, not started yet, and the names beside it: Docker's when its socket is there, and
     * with cluster options the cluster's, if this host is configured for one.
     *
     * @param names whether names are wanted at all: none are looked up (no Docker, no cluster) when not
     */
    public static NodeMonitor open(EngineConfig config, Optional<KubernetesOptions> cluster, boolean names,
                                   HostFiles host) {
        Engine engine = new Engine(config, host);
        Identities identities = names ? Identities.ofThisHost(cluster.flatMap(NodeMonitor::watch).orElse(null))
                : Identities.none();
        return new NodeMonitor(engine, identities);
    }

    /** The cluster's watches, when this host is configured for a cluster. */
    private static Optional<KubernetesIdentity> watch(KubernetesOptions options) {
        Optional<KubernetesIdentity> kubernetes = KubernetesIdentity.connectIfConfigured(options);
        kubernetes.ifPresent(k -> {
            try {
                // Bytes counted before the cluster's first lists could not be classified: wait a
                // little for them; an API server that does not answer has already said so in the log.
                k.awaitFirstLists(FIRST_LISTS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return kubernetes;
    }

    /** Hands the engine the cluster's view and starts capturing. */
    public void start() throws CaptureException {
        engine.cluster(identities.cluster());
        engine.start();
    }

    public Engine engine() {
        return engine;
    }

    public Identities identities() {
        return identities;
    }

    /** Closes the names, then the engine (nothing to do for an engine that never started); once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // a shutdown hook and the normal end may both ask
        }
        try {
            identities.close();
        } finally {
            engine.close();
        }
    }
}
