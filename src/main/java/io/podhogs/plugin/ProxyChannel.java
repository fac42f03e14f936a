package io.podhogs.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An agent's API through the API server's pod proxy (pods/proxy). */
final class ProxyChannel implements AgentChannel {
    private final KubernetesClient client;
    private final Agent agent;

    ProxyChannel(KubernetesClient client, Agent agent) {
        this.client = client;
        this.agent = agent;
    }

    /** The path the API server proxies to the agent's {@code pathAndQuery}. */
    static String proxyPath(Agent agent, String pathAndQuery) {
        return "api/v1/namespaces/" + encode(agent.namespace()) + "/pods/" + encode(agent.pod()) + ":" + agent.port()
                + "/proxy" + pathAndQuery;
    }

    @Override
    public Answer get(String pathAndQuery, Duration timeout) {
        HttpClient http = client.getHttpClient();
        String base = client.getMasterUrl().toString();
        String url = (base.endsWith("/") ? base : base + "/") + proxyPath(agent, pathAndQuery);
        HttpRequest request = http.newHttpRequestBuilder().uri(url).header("Accept", "application/json")
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, String.class);
        HttpResponse<String> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return Answer.failed(0, FanOut.TIMED_OUT);
        } catch (ExecutionException e) {
            String cause = Cluster.rootMessage(e);
            if (cause.toLowerCase(Locale.ROOT).contains("timeout") || cause.toLowerCase(Locale.ROOT).contains("timed out")) {
                return Answer.failed(0, FanOut.TIMED_OUT);
            }
            return Answer.failed(0, Cluster.oneLine(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed(0, "interrupted");
        }
        if (response.code() == 403) {
            return Answer.failed(403, "forbidden: you need get on pods/proxy in namespace " + agent.namespace());
        }
        return Answer.of(response.code(), response.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        // the client's connections are the client's
    }
}
