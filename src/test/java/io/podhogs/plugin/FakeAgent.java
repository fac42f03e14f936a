package io.podhogs.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node's agent API for kubectl podhogs's tests, on 127.0.0.1 of this machine as the real one is
 * on its node's: each list's rows (a real agent's recording, or the test's change of it) served in
 * the agent's pages, by limit and continue token, with the fields the real agent writes (items,
 * continue while rows remain, remaining, omitted). AgentApiTest holds the real agent to that shape.
 * HTTP/1.1 with keep-alive, a thread a connection, on a plain ServerSocket: the JDK's HttpServer it
 * used before now and then never read a request on a connection it had just accepted (JDK 17.0.15),
 * and closed the connection 30-40 s later as idle, which showed as an agent that did not answer.
 */
final class FakeAgent implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Listing(ArrayNode rows, long omitted, long delayMillis, AtomicInteger goneTimes) {
    }

    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, Listing> lists = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    FakeAgent() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::accept, "fake-agent-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "fake-agent");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Answers the requests of one connection in turn until the client ends it. */
    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            for (String requestLine = line(in); requestLine != null; requestLine = line(in)) {
                boolean close = false;
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    close |= h.toLowerCase(java.util.Locale.ROOT).replace(" ", "").equals("connection:close");
                }
                String[] parts = requestLine.split(" ");
                Answer a = parts.length == 3 && parts[0].equals("GET") ? answer(URI.create(parts[1]))
                        : new Answer(400, "{\"error\":\"not a GET\"}");
                byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + a.status() + " X\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            connections.remove(s);
        }
    }

    /** One line of the request, without its CRLF; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private record Answer(int status, String body) {
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code list} holds {@code rows} (a JSON array). */
    void answering(String list, String rows) {
        answering(list, rows, 0, 0, 0);
    }

    /**
     * @param omitted what the list says it left out
     * @param delayMillis each page's answer comes this late
     * @param goneTimes the first continued pages asked are answered 410, as a dropped list's are
     */
    void answering(String list, String rows, long omitted, long delayMillis, int goneTimes) {
        try {
            lists.put(list, new Listing((ArrayNode) JSON.readTree(rows), omitted, delayMillis, new AtomicInteger(goneTimes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The paths asked so far ("/api/v1/pods?limit=500"), in order. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private Answer answer(URI uri) throws IOException {
        String path = uri.getPath();
        String query = uri.getRawQuery();
        requests.add(path + (query == null ? "" : "?" + query));
        Map<String, String> params = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Listing listing = path.startsWith("/api/v1/") ? lists.get(path.substring("/api/v1/".length())) : null;
        if (listing == null) {
            return new Answer(404, "{\"error\":\"no such list\"}");
        }
        if (listing.delayMillis() > 0) {
            try {
                Thread.sleep(listing.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String token = params.get("continue");
        if (token != null && listing.goneTimes().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new Answer(410, "{\"error\":\"continue token expired: list again from the first page\"}");
        }
        int limit = Integer.parseInt(params.getOrDefault("limit", "500"));
        int offset = token == null ? 0 : Integer.parseInt(token.substring(1));
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("items");
        int end = Math.min(listing.rows().size(), offset + limit);
        for (int i = offset; i < end; i++) {
            items.add(listing.rows().get(i));
        }
        if (end < listing.rows().size()) {
            page.put("continue", "p" + end);
        }
        page.put("remaining", listing.rows().size() - end);
        page.put("omitted", listing.omitted());
        return new Answer(200, JSON.writeValueAsString(page));
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket s : connections) {
                s.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
