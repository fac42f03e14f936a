package io.podhogs.plugin;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's port-forward, as far as a client sees it, in front of fabric8's mock API server
 * (which serves everything else): a websocket upgrade of
 * {@code GET /api/v1/namespaces/NS/pods/POD/portforward?ports=PORT} with the channel protocol
 * (v4.channel.k8s.io) that kubectl and fabric8 speak. Every binary frame starts with a channel byte:
 * 0 the port's data, 1 its errors; each channel's first frame is the port, two bytes little-endian.
 * Behind it, as the kubelet would, a TCP connection to the pod's port, here 127.0.0.1:target of
 * this machine; when that cannot be connected, the error channel says so as the kubelet does, and the
 * stream ends. A pod not known here goes to the mock server's expectations (a 403, say).
 */
final class PortForwardStandIn extends Dispatcher {
    private static final Pattern PORT_FORWARD = Pattern.compile(
            "/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward\\?ports=(\\d+)");

    private final Dispatcher next;
    /** namespace/pod to the port of this machine its forwarded port reaches, or -1 when nothing listens. */
    private final Map<String, Integer> targets = new ConcurrentHashMap<>();
    /** namespace/pod to how many more port-forwards find nothing listening before the target does. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> refusals = new ConcurrentHashMap<>();

    PortForwardStandIn(Dispatcher next) {
        this.next = next;
    }

    /** A port-forward to {@code pod} reaches 127.0.0.1:{@code port} of this machine (-1: refused). */
    void route(String namespace, String pod, int port) {
        route(namespace, pod, port, 0);
    }

    /** As {@link #route(String, String, int)}, the first {@code refused} port-forwards finding nothing listening. */
    void route(String namespace, String pod, int port, int refused) {
        targets.put(namespace + "/" + pod, port);
        refusals.put(namespace + "/" + pod, new java.util.concurrent.atomic.AtomicInteger(refused));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Matcher m = PORT_FORWARD.matcher(request.getPath());
        if (m.matches() && targets.containsKey(m.group(1) + "/" + m.group(2))) {
            String pod = m.group(1) + "/" + m.group(2);
            boolean refused = refusals.get(pod).getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            int target = refused ? -1 : targets.get(pod);
            return new MockResponse().withWebSocketUpgrade(new Relay(Integer.parseInt(m.group(3)), target));
        }
        return next.dispatch(request);
    }

    @Override
    public void shutdown() {
        next.shutdown();
    }

    /** One port-forward stream: the websocket on one side, a TCP connection on the other. */
    private static final class Relay extends WebSocketListener {
        private final int port;
        private final int target;
        private volatile Socket socket;

        Relay(int port, int target) {
            this.port = port;
            this.target = target;
        }

        @Override
        public void onOpen(WebSocket ws, Response response) {
            byte lo = (byte) (port & 0xff);
            byte hi = (byte) ((port >> 8) & 0xff);
            ws.send(new byte[] {0, lo, hi});
            ws.send(new byte[] {1, lo, hi});
            Socket s = new Socket();
            try {
                if (target < 0) {
                    throw new IOException("connect: connection refused");
                }
                s.connect(new InetSocketAddress("127.0.0.1", target), 2000);
            } catch (IOException e) {
                // The kubelet's words when nothing listens on the pod's port.
                String error = "error forwarding port " + port + " to pod, uid : failed to execute portforward in"
                        + " network namespace: failed to connect to localhost:" + port + " inside namespace, IPv4: dial"
                        + " tcp4 127.0.0.1:" + port + ": connect: connection refused";
                byte[] text = error.getBytes(StandardCharsets.UTF_8);
                byte[] frame = new byte[text.length + 1];
                frame[0] = 1;
                System.arraycopy(text, 0, frame, 1, text.length);
                ws.send(frame);
                ws.close(1000, "");
                return;
            }
            socket = s;
            Thread pump = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = s.getInputStream()) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        byte[] frame = new byte[n + 1];
                        frame[0] = 0;
                        System.arraycopy(buffer, 0, frame, 1, n);
                        ws.send(frame);
                    }
                } catch (IOException e) {
                    // the stream ends either way
                }
                ws.close(1000, "");
            }, "port-forward-stand-in");
            pump.setDaemon(true);
            pump.start();
        }

        @Override
        public void onMessage(WebSocket ws, byte[] bytes) {
            Socket s = socket;
            if (s == null || bytes.length == 0 || bytes[0] != 0) {
                return;
            }
            try {
                OutputStream out = s.getOutputStream();
                out.write(Arrays.copyOfRange(bytes, 1, bytes.length));
                out.flush();
            } catch (IOException e) {
                ws.close(1011, "the pod's port went away");
            }
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            close();
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            close();
        }

        private void close() {
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closed already
                }
            }
        }
    }
}
