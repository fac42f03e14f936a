package io.podhogs.identity.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDR;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.podhogs.identity.ClusterWatch;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.RemoteClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Kubernetes identity beside the packet path: informers on this node's pods (field selector
 * spec.nodeName), on nodes, Services and ServiceCIDRs (for remote classes), and optionally on every
 * pod of the cluster; one thread of its own turns their stores into immutable {@link PodDirectory}
 * and {@link RemoteClassifier} snapshots, at most every {@value #REBUILD_FLOOR_MILLIS} ms.
 *
 * <p>The API server going away changes nothing for counting: the last snapshots stay, the
 * informers retry (one log line when a watch is lost, one when it is back), and names fill in when
 * it returns. Deleted pods stay in the directory for the grace period, and a minute more so that
 * the engine can retire their accounts under their names.
 */
public final class KubernetesIdentity implements ClusterWatch {
    private static final Logger LOG = Logger.getLogger(KubernetesIdentity.class);
    private static final long REBUILD_FLOOR_MILLIS = 200;
    private static final long IDLE_CHECK_MILLIS = 1000;
    private static final java.time.Duration TOMBSTONE_MARGIN = java.time.Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final KubernetesOptions options;
    private final Clock clock;
    private final WorkloadResolver workloads;
    private final List<Watched<?>> watched = new ArrayList<>();
    private final Watched<Pod> nodePods;
    private final Watched<Node> nodes;
    private final Watched<Service> services;
    private final Watched<ServiceCIDR> serviceCidrs;
    private final Watched<Pod> clusterPods;
    /** Deleted pods by UID, as they were last known, with the time they were deleted. */
    private final Map<String, PodInfo> tombstones = new ConcurrentHashMap<>();
    private final Map<String, PodInfo> lastKnown = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile PodDirectory directory = PodDirectory.EMPTY;
    private volatile RemoteClassifier classifier = RemoteClassifier.NONE;
    private long version;
    private boolean nodeChecked;

    private KubernetesIdentity(KubernetesClient client, boolean ownsClient, KubernetesOptions options, Clock clock) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.options = options;
        this.clock = clock;
        this.workloads = new WorkloadResolver(client);
        this.nodePods = watch("pods of node " + options.nodeName(),
                client.pods().inAnyNamespace().withField("spec.nodeName", options.nodeName()), true, podEvents);
        this.nodes = watch("nodes", client.nodes(), true, null);
        this.services = watch("services", client.services().inAnyNamespace(), true, null);
        this.serviceCidrs = watch("servicecidrs", client.network().v1().serviceCIDRs(), false, null);
        this.clusterPods = options.clusterPodIndex() ? watch("pods of the cluster", client.pods().inAnyNamespace(), true, null)
                : null;
        this.thread = new Thread(this::run, "podhogs-kubernetes");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts one informer; if one cannot even be made, those already started are stopped. */
    private <T> Watched<T> watch(String what, Informable<T> source, boolean required, ResourceEventHandler<T> events) {
        try {
            Watched<T> w = new Watched<>(what, source, required, events);
            watched.add(w);
            return w;
        } catch (RuntimeException e) {
            watched.forEach(w -> w.informer.stop());
            throw e;
        }
    }

    /**
     * Starts on the cluster this process is configured for (in-cluster service account, KUBECONFIG,
     * ~/.kube/config), or returns empty on a host with none of them: then nothing about pods is
     * shown and nothing else changes.
     */
    public static Optional<KubernetesIdentity> connectIfConfigured(KubernetesOptions options) {
        if (!configured()) {
            return Optional.empty();
        }
        Config config = Config.autoConfigure(null);
        // A get that cannot be answered (an owner's) must not hold the identity thread for long.
        config.setRequestTimeout(5_000);
        config.setRequestRetryBackoffLimit(2);
        // Vert.x's client, named: kubectl podhogs brings the JDK's, which fabric8 would otherwise rank first.
        KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(new VertxHttpClientFactory())
                .withConfig(config).build();
        try {
            return Optional.of(new KubernetesIdentity(client, true, options, Clock.systemUTC()));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** On a client the caller made (tests, the agent's injected client); the caller closes it. */
    public static KubernetesIdentity start(KubernetesClient client, KubernetesOptions options) {
        return new KubernetesIdentity(client, false, options, Clock.systemUTC());
    }

    /**
     * A service account in a pod, or a kubeconfig file (the kubeconfig system property, KUBECONFIG,
     * ~/.kube/config): what fabric8's auto-configuration reads.
     */
    public static boolean configured() {
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null
                && Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"))) {
            return true;
        }
        // fabric8 reads the kubeconfig system property before the environment variable.
        String kubeconfig = System.getProperty("kubeconfig", System.getenv("KUBECONFIG"));
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            return List.of(kubeconfig.split(java.io.File.pathSeparator)).stream().anyMatch(f -> Files.exists(Path.of(f)));
        }
        return Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }

    @Override
    public PodDirectory pods() {
        return directory;
    }

    @Override
    public RemoteClassifier classifier() {
        return classifier;
    }

    /** Where the API server is, for messages. */
    public String server() {
        return client.getMasterUrl().toString();
    }

    /** True once this node's pods have been listed and are being watched. */
    public boolean watching() {
        return nodePods.informer.isWatching();
    }

    /** One informer and what is known of its health, for the log. */
    private final class Watched<T> {
        final String what;
        final SharedIndexInformer<T> informer;
        volatile boolean failing;
        volatile boolean absent;
        /** Refused for good (401, 403): waiting will not bring its list. */
        volatile boolean refused;

        Watched(String what, Informable<T> source, boolean required, ResourceEventHandler<T> events) {
            this.what = what;
            this.informer = source.runnableInformer(options.resync().toMillis());
            informer.addEventHandler(events != null ? events : changes());
            informer.exceptionHandler((started, t) -> {
                if (!required && code(t) == 404) {
                    absent = true;
                    LOG.infof("no %s in this cluster's API (before Kubernetes 1.33): Service ranges come from"
                            + " Services' cluster IPs and --service-cidr", what);
                    return false;
                }
                int code = code(t);
                refused = code == 401 || code == 403;
                if (!failing) {
                    failing = true;
                    LOG.warnf("Kubernetes API at %s: cannot list or watch %s (%s); retrying, counting goes on and"
                            + " names fill in when it answers", server(), what, reason(t));
                }
                return true;
            });
            informer.start();
        }

        /**
         * What it lists is known, or will not be: listed once, absent from the API, or refused.
         * A list that fails for a while (the server away, a 500) is neither: classifying without
         * it would call its pods or Services external.
         */
        boolean known() {
            return absent || refused || informer.hasSynced();
        }

        /** Known, or failing for now: nothing more a start should wait for. */
        boolean settled() {
            return known() || failing;
        }

        /** Logs the return of a watch that was lost. */
        void checkBack() {
            if (failing && informer.isWatching()) {
                failing = false;
                refused = false;
                LOG.infof("Kubernetes API: watching %s again", what);
            }
        }

        List<T> items() {
            return informer == null || absent ? List.of() : informer.getStore().list();
        }
    }

    /** The HTTP status of the API's answer behind {@code t}, 0 when there was none. */
    private static int code(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException e && e.getCode() != 0) {
                return e.getCode();
            }
        }
        return 0;
    }

    private static String reason(Throwable t) {
        if (code(t) == 403) {
            return "forbidden: the ClusterRole needs get, list and watch on it";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private <T> ResourceEventHandler<T> changes() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        };
    }

    private final ResourceEventHandler<Pod> podEvents = new ResourceEventHandler<>() {
        @Override
        public void onAdd(Pod pod) {
            tombstones.remove(pod.getMetadata().getUid());
            changed();
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            changed();
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            String uid = pod.getMetadata().getUid();
            PodInfo last = lastKnown.get(uid);
            PodInfo info = last != null ? last : PodInfos.of(pod, WorkloadResolver.withoutApi(pod));
            tombstones.put(uid, info.deletedAt(clock.instant()));
            changed();
        }
    };

    private void changed() {
        if (dirty.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long lastBuild = 0;
        while (running) {
            long now = System.nanoTime();
            if (dirty.get() && (now - lastBuild) / 1_000_000 >= REBUILD_FLOOR_MILLIS) {
                dirty.set(false);
                lastBuild = now;
                try {
                    rebuild();
                } catch (RuntimeException e) {
                    LOG.errorf("Kubernetes identity: rebuilding the pod directory failed: %s", e);
                }
            } else {
                watched.forEach(Watched::checkBack);
                if (!classifier.active() && watched.stream().allMatch(Watched::known)) {
                    changed(); // the last first list was empty: no event said it came
                }
                expireTombstones();
                LockSupport.parkNanos(dirty.get() ? REBUILD_FLOOR_MILLIS * 1_000_000 : IDLE_CHECK_MILLIS * 1_000_000);
                // close() stops this thread with running and an unpark, never an interrupt: a stray one
                // left set would make every park return at once and spin a core.
                Thread.interrupted();
            }
        }
    }

    private void expireTombstones() {
        Instant keepAfter = clock.instant().minus(options.deletedPodGrace()).minus(TOMBSTONE_MARGIN);
        if (tombstones.values().removeIf(p -> p.deletedAt().isBefore(keepAfter))) {
            changed();
        }
    }

    private void rebuild() {
        List<Pod> pods = nodePods.items().stream()
                .filter(p -> p.getSpec() != null && options.nodeName().equals(p.getSpec().getNodeName()))
                .toList();
        List<PodInfo> infos = new ArrayList<>();
        for (Pod p : pods) {
            PodInfo info = PodInfos.of(p, workloads.of(p));
            infos.add(info);
            lastKnown.put(info.uid(), info);
            // No tombstones.remove here: a deletion seen after the store was read must stay (onAdd
            // clears a tombstone; pod UIDs are never reused).
        }
        workloads.retain(WorkloadResolver.ownerKeys(pods));
        lastKnown.keySet().retainAll(infos.stream().map(PodInfo::uid).toList());
        tombstones.values().stream().filter(t -> infos.stream().noneMatch(i -> i.uid().equals(t.uid())))
                .forEach(infos::add);
        directory = new PodDirectory(infos, nodePods.informer.hasSynced(), options.deletedPodGrace());
        // Before the first full lists every address would look external: classify nothing until then.
        if (watched.stream().allMatch(Watched::known)) {
            RemoteClassifier previous = classifier;
            RemoteClassifier next = ClusterAddresses.classifier(version + 1, new ClusterAddresses.Sources(
                    options.nodeName(), infos, clusterPods == null ? List.of() : clusterPods.items(), nodes.items(),
                    services.items(), serviceCidrs.items(), options.podCidrs(), options.serviceCidrs()));
            // The same content keeps its version: flows are looked up again only when something changed.
            if (!next.sameAs(previous)) {
                version++;
                classifier = next;
            }
        }
        checkNodeName();
    }

    /**
     * Waits until every informer has its first full list, or has failed once (the failure is in
     * the log, and the classifier waits for the lists, not the caller); false if that took longer
     * than {@code timeout}.
     */
    public boolean awaitFirstLists(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!watched.stream().allMatch(Watched::settled)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** A wrong node name shows as no pods at all: say so once, where it can be fixed. */
    private void checkNodeName() {
        if (nodeChecked || !nodes.informer.hasSynced() || nodes.failing) {
            return;
        }
        nodeChecked = true;
        if (nodes.items().stream().noneMatch(n -> options.nodeName().equals(n.getMetadata().getName()))) {
            LOG.warnf("node %s is not in the cluster at %s: set --node-name (or NODE_NAME from the downward API's"
                    + " spec.nodeName) to this node's name", options.nodeName(), server());
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watched.forEach(w -> w.informer.stop());
        if (ownsClient) {
            client.close();
        }
    }
}
