package io.podhogs.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every agent at once, through the API server's pod proxy (no port of the nodes is exposed),
 * at most {@code parallel} at a time and each for at most {@code timeout}: a slow node costs the
 * answer one timeout, not one per node, and never the other nodes' rows.
 */
final class FanOut implements AutoCloseable {
    private final KubernetesClient client;
    private final ObjectMapper json;
    private final Duration timeout;
    private final ExecutorService pool;

    FanOut(KubernetesClient client, ObjectMapper json, int parallel, Duration timeout) {
        this.client = client;
        this.json = json;
        this.timeout = timeout;
        // Daemon threads: a request that hangs past its timeout must not keep the JVM from exiting.
        this.pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "podhogs-fan-out");
            t.setDaemon(true);
            return t;
        });
    }

    /** The path the API server proxies to the agent's /api/v1/{list}. */
    static String proxyPath(Agent agent, String list) {
        return "api/v1/namespaces/" + encode(agent.namespace()) + "/pods/" + encode(agent.pod()) + ":" + agent.port()
                + "/proxy/api/v1/" + list;
    }

    /** Every agent's answer (ready ones asked, the others failed as they are), in the agents' order. */
    List<NodeAnswer> ask(List<Agent> agents, String list) {
        List<Callable<NodeAnswer>> tasks = new ArrayList<>();
        for (Agent a : agents) {
            tasks.add(() -> a.ready() ? askOne(a, list) : NodeAnswer.failed(a, 0, a.notReady()));
        }
        List<NodeAnswer> answers = new ArrayList<>();
        try {
            List<Future<NodeAnswer>> futures = pool.invokeAll(tasks);
            for (int i = 0; i < futures.size(); i++) {
                try {
                    answers.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    answers.add(NodeAnswer.failed(agents.get(i), 0, Cluster.oneLine(Cluster.rootMessage(e))));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PluginException.error("interrupted");
        }
        return answers;
    }

    private NodeAnswer askOne(Agent agent, String list) {
        HttpClient http = client.getHttpClient();
        String base = client.getMasterUrl().toString();
        String url = (base.endsWith("/") ? base : base + "/") + proxyPath(agent, list);
        HttpRequest request = http.newHttpRequestBuilder().uri(url).header("Accept", "application/json")
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, String.class);
        HttpResponse<String> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return NodeAnswer.failed(agent, 0, "no answer within " + Durations.format(timeout));
        } catch (ExecutionException e) {
            String cause = Cluster.rootMessage(e);
            if (cause.toLowerCase(java.util.Locale.ROOT).contains("timeout")
                    || cause.toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
                return NodeAnswer.failed(agent, 0, "no answer within " + Durations.format(timeout));
            }
            return NodeAnswer.failed(agent, 0, Cluster.oneLine(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NodeAnswer.failed(agent, 0, "interrupted");
        }
        int code = response.code();
        if (code == 403) {
            return NodeAnswer.failed(agent, 403, "forbidden: you need get on pods/proxy in namespace "
                    + agent.namespace());
        }
        if (code != 200) {
            return NodeAnswer.failed(agent, code, "HTTP " + code + statusMessage(response.body()));
        }
        try {
            JsonNode body = json.readTree(response.body());
            if (body == null || !body.isArray()) {
                return NodeAnswer.failed(agent, code, "not a podhogs agent's answer (no JSON list)");
            }
            List<ObjectNode> rows = new ArrayList<>();
            for (JsonNode row : body) {
                if (!(row instanceof ObjectNode o) || !o.has("usage")) {
                    return NodeAnswer.failed(agent, code, "not a podhogs agent's answer (rows without usage)");
                }
                rows.add(o);
            }
            return NodeAnswer.answered(agent, rows);
        } catch (java.io.IOException e) {
            return NodeAnswer.failed(agent, code, "not a podhogs agent's answer (not JSON)");
        }
    }

    /** ": " and the API server's Status message (the proxy's reason), or its body's first line. */
    private String statusMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode status = json.readTree(body);
            if (status != null && status.hasNonNull("message")) {
                return ": " + Cluster.oneLine(status.get("message").asText());
            }
        } catch (java.io.IOException e) {
            // not JSON: the body as it is
        }
        return ": " + Cluster.oneLine(body.lines().findFirst().orElse(""));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
