package io.podhogs.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.PortForward;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * An agent's API through the API server's port-forward (pods/portforward, fabric8's websocket
 * client): the agent answers on 127.0.0.1 of its node only, and the kubelet dials that from the
 * node's network namespace (the agent's pod is hostNetwork). The stream goes straight to HTTP
 * requests written here (one stream for all of a list's pages), with no port opened on this machine
 * that other local users could connect to, and without the kubeconfig's credentials, which fabric8's
 * HTTP client would add to its requests. Why not the API server's pod proxy: it strips the caller's
 * credentials and presents no identity to the pod (kubernetes#38775), and cannot reach 127.0.0.1.
 */
final class PortForwardChannel implements AgentChannel {
    private final KubernetesClient client;
    private final KubectlAgent agent;
    private volatile PortForward forward;
    private Pipe.SinkChannel requests;
    private ForwardedStream answers;

    PortForwardChannel(KubernetesClient client, KubectlAgent agent) {
        this.client = client;
        this.agent = agent;
    }

    @Override
    public Answer get(String pathAndQuery, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (forward == null) {
                open();
            }
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "User-Agent: kubectl-podhogs\r\n\r\n";
            ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                requests.write(bytes);
            }
            ForwardedStream.Response response = answers.response(deadline);
            if (!response.keepAlive()) {
                close(); // the agent ends the stream: the next page opens another
            }
            return Answer.of(response.status(), response.body());
        } catch (TimeoutException e) {
            close();
            return Answer.timeout();
        } catch (IOException | KubernetesClientException e) {
            List<Throwable> errors = throwables();
            int status = refusal(errors);
            close();
            return Answer.failed(status, why(e, errors, status));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return Answer.failed(0, "interrupted");
        }
    }

    private void open() throws IOException {
        Pipe pipe = Pipe.open();
        requests = pipe.sink();
        answers = new ForwardedStream(() -> forward != null && forward.errorOccurred());
        forward = client.pods().inNamespace(agent.namespace()).withName(agent.pod())
                .portForward(agent.port(), pipe.source(), answers);
    }

    /** The API server's status for the port-forward, when it refused it (403, 404), else 0. */
    private static int refusal(List<Throwable> errors) {
        for (Throwable t : errors) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof WebSocketHandshakeException h && h.getResponse() != null) {
                    return h.getResponse().code();
                }
            }
        }
        return 0;
    }

    /** Why no answer came: what the API server or the kubelet said of the port-forward, else the stream's end. */
    private String why(Exception e, List<Throwable> errors, int status) {
        if (status == 403) {
            return "forbidden: you need get and create on pods/portforward in namespace " + agent.namespace();
        }
        if (status != 0) {
            return "the API server refused the port-forward to " + agent.name() + ": HTTP " + status;
        }
        String prefix = "Received an error from the remote socket ";
        for (Throwable t : errors) {
            String message = Cluster.rootMessage(t);
            int at = message.indexOf(prefix);
            return "port-forward to the agent failed: "
                    + Cluster.oneLine(at >= 0 ? message.substring(at + prefix.length()) : message);
        }
        return "port-forward to the agent failed: " + Cluster.oneLine(e instanceof EOFException ? e.getMessage()
                : Cluster.rootMessage(e));
    }

    /** The port-forward's errors, waited for a little: they are recorded as its streams close. */
    private List<Throwable> throwables() {
        List<Throwable> all = new ArrayList<>();
        if (forward == null) {
            return all;
        }
        long deadline = System.nanoTime() + 500_000_000L;
        while (true) {
            all.clear();
            all.addAll(forward.getServerThrowables());
            all.addAll(forward.getClientThrowables());
            if (!all.isEmpty() || System.nanoTime() > deadline) {
                return all;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return all;
            }
        }
    }

    @Override
    public void close() {
        if (forward != null) {
            try {
                forward.close();
            } catch (IOException e) {
                // closed already
            }
            try {
                requests.close();
            } catch (IOException e) {
                // closed already
            }
            answers.close();
            forward = null;
        }
    }
}
