package io.podhogs.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * POSTs alerts to their rules' webhooks as Alertmanager posts to a webhook receiver (version 4 of
 * its JSON: one alert a message), on a thread of its own: a webhook that fails (no connection, a
 * 5xx, a 429) is tried again after 1, 2, 4, 8 and 16 s, then given up with a warning; one that
 * refuses the message (another 4xx) is not tried again. Bounded: past {@link #MAX_PENDING}
 * messages waiting, a new one is dropped and counted. Never on the counting's path.
 */
final class AlertWebhook implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AlertWebhook.class);
    static final int MAX_PENDING = 1_000;
    private static final int ATTEMPTS = 6;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "podhogs-alert-webhook");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger pending = new AtomicInteger();
    private final String node;
    private final BiConsumer<AlertEvent, String> results;
    private final long firstRetryMillis;

    /**
     * @param results told of each message's end: ok, failed or dropped
     * @param firstRetryMillis the first wait before trying again (1 s; the tests' shorter), doubled each time
     */
    AlertWebhook(String node, BiConsumer<AlertEvent, String> results, long firstRetryMillis) {
        this.node = node;
        this.results = results;
        this.firstRetryMillis = firstRetryMillis;
    }

    void send(AlertEvent e) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            results.accept(e, "dropped");
            return;
        }
        byte[] body = body(e);
        sender.execute(() -> attempt(e, body, 1));
    }

    private void attempt(AlertEvent e, byte[] body, int attempt) {
        String problem;
        boolean again;
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(e.rule().actions().webhook()).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").header("User-Agent", "podhogs")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                pending.decrementAndGet();
                results.accept(e, "ok");
                return;
            }
            problem = "HTTP " + r.statusCode();
            again = r.statusCode() >= 500 || r.statusCode() == 429;
        } catch (IOException ex) {
            problem = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            again = true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            pending.decrementAndGet();
            results.accept(e, "failed");
            return;
        }
        if (again && attempt < ATTEMPTS) {
            sender.schedule(() -> attempt(e, body, attempt + 1), firstRetryMillis << (attempt - 1), TimeUnit.MILLISECONDS);
            return;
        }
        pending.decrementAndGet();
        LOG.warnf("alert %s (%s): the webhook %s did not take it (%s) after %d attempt%s; given up", e.rule().name(),
                e.status().label(), e.rule().actions().webhook(), problem, attempt, attempt == 1 ? "" : "s");
        results.accept(e, "failed");
    }

    /** Alertmanager's webhook JSON for one alert. */
    byte[] body(AlertEvent e) {
        ObjectNode root = json.createObjectNode();
        root.put("version", "4");
        root.put("groupKey", "podhogs/" + e.rule().name() + "/" + e.subject().name());
        root.put("truncatedAlerts", 0);
        root.put("status", e.status().label());
        root.put("receiver", "podhogs");
        ObjectNode labels = json.createObjectNode();
        labels.put("alertname", e.rule().name());
        labels.put("level", e.subject().level().label());
        for (Map.Entry<String, String> l : e.subject().labels().entrySet()) {
            labels.put(l.getKey(), l.getValue());
        }
        labels.put("direction", e.rule().direction().label());
        labels.put("node", node);
        root.putObject("groupLabels").put("alertname", e.rule().name());
        root.set("commonLabels", labels.deepCopy());
        ObjectNode annotations = json.createObjectNode();
        annotations.put("summary", e.line());
        annotations.put("rate_bytes_per_second", Double.isNaN(e.rate()) ? "" : Long.toString(Math.round(e.rate())));
        annotations.put("above_bytes_per_second", Long.toString(Math.round(e.rule().above())));
        annotations.put("window", Spans.text(e.rule().window()));
        root.set("commonAnnotations", annotations.deepCopy());
        root.put("externalURL", "");
        ObjectNode alert = root.putArray("alerts").addObject();
        alert.put("status", e.status().label());
        alert.set("labels", labels);
        alert.set("annotations", annotations);
        alert.put("startsAt", DateTimeFormatter.ISO_INSTANT.format(e.startsAt()));
        alert.put("endsAt", e.endsAt() == null ? "0001-01-01T00:00:00Z" : DateTimeFormatter.ISO_INSTANT.format(e.endsAt()));
        alert.put("generatorURL", "");
        alert.put("fingerprint", Integer.toHexString((e.rule().name() + "/" + e.subject().name()).hashCode()));
        try {
            return json.writeValueAsBytes(root);
        } catch (IOException ex) {
            throw new IllegalStateException("an alert's JSON", ex);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        try {
            sender.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
