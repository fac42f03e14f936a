package io.podhogs.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The user's cluster as kubectl finds it: --kubeconfig, else $KUBECONFIG, else ~/.kube/config, and
 * --context, else the current one; fabric8's client, standalone (no Quarkus here).
 */
final class Cluster {
    private Cluster() {
    }

    /** The environment the kubeconfig is looked up in; the process's own outside tests. */
    record Environment(Map<String, String> variables, Path home) {
        static Environment ofProcess() {
            return new Environment(System.getenv(), Path.of(System.getProperty("user.home")));
        }
    }

    /**
     * A client of the user's cluster that fails fast: no retries (an agent that does not answer is
     * reported, not waited for again), connections bounded by {@code timeout}, and as many requests at
     * once to the API server as the fan-out runs (fabric8's default is 5 per host). Its HTTP client is
     * the JDK's, not the Vert.x one Quarkus brings for the agent: through Vert.x's websocket client
     * 4 runs in 1,500 of a two-node query under load lost an agent's answer (every byte relayed to the
     * client as one frame, none delivered, the node reported as not answering); with the JDK's, against
     * the same API server stand-in, none in 3,000.
     */
    static KubernetesClient connect(String kubeconfig, String context, Environment env, int parallel, Duration timeout) {
        Config config = config(kubeconfig, context, env);
        if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            throw PluginException.error("context \"" + context + "\" is not in the kubeconfig");
        }
        boolean inCluster = env.variables().containsKey("KUBERNETES_SERVICE_HOST")
                && Files.isRegularFile(Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH));
        if (config.getCurrentContext() == null && !inCluster) {
            // fabric8 would then try kubernetes.default.svc and fail with a name lookup error.
            throw PluginException.error("no cluster: the kubeconfig has no current context"
                    + " (kubectl config use-context NAME, or --context NAME)");
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw PluginException.error("no cluster: the kubeconfig's context names no server");
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(millis);
        config.setRequestTimeout(Math.max(millis, 10_000));
        config.setMaxConcurrentRequests(Math.max(parallel, 1) + 4);
        config.setMaxConcurrentRequestsPerHost(Math.max(parallel, 1) + 4);
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build();
    }

    private static Config config(String kubeconfig, String context, Environment env) {
        try {
            if (kubeconfig != null) {
                File file = new File(kubeconfig);
                if (!file.isFile()) {
                    throw PluginException.error("no cluster: the kubeconfig " + kubeconfig + " does not exist");
                }
                return Config.fromKubeconfig(context, file);
            }
            String variable = env.variables().get("KUBECONFIG");
            boolean found = variable != null && !variable.isEmpty()
                    ? Arrays.stream(variable.split(File.pathSeparator)).anyMatch(f -> !f.isEmpty() && Files.isRegularFile(Path.of(f)))
                    : Files.isRegularFile(env.home().resolve(".kube/config"));
            boolean inCluster = env.variables().containsKey("KUBERNETES_SERVICE_HOST")
                    && Files.isRegularFile(Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH));
            if (!found && !inCluster) {
                throw PluginException.error("no cluster: no kubeconfig (set KUBECONFIG, create ~/.kube/config or pass"
                        + " --kubeconfig), as kubectl needs");
            }
            return Config.autoConfigure(context);
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException e) {
            // fabric8's own exception, or the YAML parser's for a file that is not a kubeconfig.
            throw PluginException.error("cannot read the kubeconfig: " + oneLine(rootMessage(e)));
        }
    }

    /**
     * A failed API request as one line: unreachable, refused credentials, refused access (with
     * {@code forbidden}, which says the verb and resource needed), or the server's own message.
     */
    static PluginException explain(KubernetesClient client, KubernetesClientException e, String forbidden) {
        int code = e.getCode();
        if (code == 403) {
            return PluginException.error("forbidden: " + forbidden);
        }
        if (code == 401) {
            return PluginException.error("unauthorized: the API server at " + client.getMasterUrl()
                    + " did not accept the credentials of your kubeconfig's context");
        }
        if (code == 0 || code == -1) {
            // An answer that is not the API's JSON (a wrong URL, a captive portal): reached, but not it.
            if (rootCause(e) instanceof com.fasterxml.jackson.core.JacksonException) {
                return PluginException.error("the server at " + client.getMasterUrl() + " did not answer as a Kubernetes"
                        + " API server: " + oneLine(rootMessage(e)));
            }
            return PluginException.error("cannot reach the API server at " + client.getMasterUrl() + ": "
                    + oneLine(whyUnreachable(client, e)));
        }
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : rootMessage(e);
        return PluginException.error("the API server at " + client.getMasterUrl() + " answered HTTP " + code + ": "
                + oneLine(message));
    }

    /**
     * Why the API server could not be reached. The JDK's HTTP client (see {@link #connect}) reports a
     * failed connect as a ConnectException without words; the operating system's own (Connection
     * refused, No route to host) come from one plain connect to the same address, made only then.
     */
    private static String whyUnreachable(KubernetesClient client, Throwable e) {
        boolean wordless = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            wordless |= t instanceof ConnectException && (t.getMessage() == null || t.getMessage().isBlank());
        }
        URL url = client.getMasterUrl();
        if (!wordless || url == null) {
            return rootMessage(e);
        }
        int port = url.getPort() >= 0 ? url.getPort() : url.getDefaultPort();
        int millis = Math.max(1, Math.min(client.getConfiguration().getConnectionTimeout(), 10_000));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port), millis);
            return rootMessage(e); // it answers now: the client's failure stands as it was
        } catch (IOException os) {
            return os.getMessage() == null || os.getMessage().isBlank() ? os.getClass().getSimpleName() : os.getMessage();
        }
    }

    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String rootMessage(Throwable e) {
        Throwable t = rootCause(e);
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
