package io.podhogs.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node's agent API for kubectl podhogs's tests, on 127.0.0.1 of this machine as the real one is
 * on its node's: each list's rows (a real agent's recording, or the test's change of it) served in
 * the agent's pages, by limit and continue token, with the fields the real agent writes (items,
 * continue while rows remain, remaining, omitted). AgentApiTest holds the real agent to that shape.
 */
final class FakeAgent implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Listing(ArrayNode rows, long omitted, long delayMillis, AtomicInteger goneTimes) {
    }

    private final HttpServer server;
    private final Map<String, Listing> lists = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    FakeAgent() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-agent");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
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

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
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
            send(exchange, 404, "{\"error\":\"no such list\"}");
            return;
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
            send(exchange, 410, "{\"error\":\"continue token expired: list again from the first page\"}");
            return;
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
        send(exchange, 200, JSON.writeValueAsString(page));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
