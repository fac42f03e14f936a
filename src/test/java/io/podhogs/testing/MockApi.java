package io.podhogs.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.EventDoneable;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's mock API server in mixed mode: objects the API filters by plain list (nodes,
 * Services, ReplicaSets ...) are kept by its CRUD store; this node's pods, which podhogs asks for
 * with the spec.nodeName field selector that the CRUD store does not apply, are expectations on the
 * exact list and watch URLs, with watch events at set times.
 */
public final class MockApi implements AutoCloseable {
    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
            new KubernetesMixedDispatcher(responses), false);
    private final List<KubernetesClient> clients = new ArrayList<>();

    private final int port;

    private MockApi(int port) {
        this.port = port;
    }

    /** On a free port. */
    public static MockApi start() {
        return new MockApi(0).listen();
    }

    /**
     * On {@code port}, not listening yet: an API server that comes back where it was. Set its
     * expectations, then {@link #listen()}: a client retrying all along must not reach it before
     * they are there (its CRUD store would answer the pod list and watch with nothing).
     */
    public static MockApi preparedOn(int port) {
        return new MockApi(port);
    }

    public MockApi listen() {
        server.init(InetAddress.getLoopbackAddress(), port);
        return this;
    }

    public int port() {
        return server.getPort();
    }

    public KubernetesMockServer server() {
        return server;
    }

    /** A client of this server that retries quickly, as a test cannot wait for the default backoff. */
    public KubernetesClient client() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://localhost:" + port())
                .withNamespace("default").withWatchReconnectInterval(100).withWatchReconnectLimit(-1)
                .withRequestRetryBackoffInterval(100).withRequestRetryBackoffLimit(3).build();
        // The agent's HTTP client (Vert.x's), as KubernetesIdentity builds it.
        KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(new VertxHttpClientFactory())
                .withConfig(config).build();
        clients.add(client);
        return client;
    }

    /**
     * A kubeconfig file for this server, as kubectl and fabric8 read one; the caller deletes it.
     */
    public java.nio.file.Path kubeconfig() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("podhogs-kubeconfig", ".yaml");
            java.nio.file.Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - {name: mock, cluster: {server: "http://localhost:%d"}}
                    contexts:
                    - {name: mock, context: {cluster: mock, user: mock, namespace: default}}
                    current-context: mock
                    users:
                    - {name: mock, user: {token: test}}
                    """.formatted(port()));
            return file;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A watch event {@code afterMillis} after the watch opened. */
    public record Event(long afterMillis, String type, Pod pod) {
    }

    /** This node's pods, listed through the node's field selector, and what the watch then tells. */
    public void nodePods(String node, List<Pod> listed, Event... events) {
        nodePods(node, 1, listed, events);
    }

    /** As {@link #nodePods(String, List, Event...)}, the list at {@code resourceVersion}. */
    public void nodePods(String node, int resourceVersion, List<Pod> listed, Event... events) {
        String selector = "fieldSelector=spec.nodeName%3D" + node;
        server.expect().get().withPath("/api/v1/pods?" + selector + "&resourceVersion=0")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("" + resourceVersion)
                        .endMetadata().withItems(listed).build())
                .always();
        EventDoneable<?> watch = server.expect().get().withPath(watchPath(node, resourceVersion))
                .andUpgradeToWebSocket().open();
        for (Event e : events) {
            watch = watch.waitFor(e.afterMillis()).andEmit(new WatchEvent(e.pod(), e.type()));
        }
        // The mock closes a watch once its events are out, and the client would watch again and
        // again; an API server keeps it open: a bookmark an hour away does.
        Pod bookmark = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withResourceVersion("" + resourceVersion).endMetadata().build();
        watch = watch.waitFor(3_600_000).andEmit(new WatchEvent(bookmark, "BOOKMARK"));
        ((io.fabric8.mockwebserver.dsl.TimesOnceableOrHttpHeaderable<?>) watch.done()).always();
    }

    private static String watchPath(String node, int resourceVersion) {
        return "/api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%3D" + node + "&resourceVersion="
                + resourceVersion + "&timeoutSeconds=600&watch=true";
    }

    /** The paths asked so far ("GET /api/v1/pods?..."), taken from the server's record. */
    public List<String> requests() {
        return requests(server);
    }

    /** The paths {@code server} was asked so far ("GET /api/v1/pods?..."), in order, taken from its record. */
    public static List<String> requests(KubernetesMockServer server) {
        List<String> paths = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                paths.add(r.getMethod() + " " + r.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return paths;
    }

    /** Stops answering, as an API server that went away; clients made here stay open. */
    public void stop() {
        server.destroy();
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }
}
