package io.podhogs.alerts;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Does what each alert's rule says with its transitions: the log line at once (always), then, off
 * the evaluation's thread, its command (one at a time, a bounded queue), its webhook
 * ({@link AlertWebhook}) and its Kubernetes Event (the agent's sink). Each action's result is
 * counted per alert: ok, failed, timeout (a command killed), dropped (a queue full).
 */
public final class AlertNotifier implements AutoCloseable {
    /** Commands waiting to run; past it a new one is dropped and counted. */
    static final int MAX_QUEUED_COMMANDS = 100;

    /** Makes the Kubernetes Event of an alert on its pod; the result as counted (ok, failed). */
    @FunctionalInterface
    public interface EventSink {
        String publish(AlertEvent e);
    }

    /** One count: an alert's action's results of one kind. */
    public record Count(String alert, String action, String result) {
    }

    private final Consumer<String> log;
    private final String node;
    private final EventSink events;
    private final AlertWebhook webhook;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_QUEUED_COMMANDS), r -> {
                Thread t = new Thread(r, "podhogs-alert-actions");
                t.setDaemon(true);
                return t;
            });
    private final Map<Count, AtomicLong> counts = new ConcurrentHashMap<>();

    /**
     * @param log where each transition's line goes (stderr, the agent's log)
     * @param node the node's name, in the command's environment and the webhook's labels
     * @param events the agent's Kubernetes Events; null where there are none (the command line)
     * @param firstRetryMillis the webhook's first wait before trying again (1000)
     */
    public AlertNotifier(Consumer<String> log, String node, EventSink events, long firstRetryMillis) {
        this.log = log;
        this.node = node;
        this.events = events;
        this.webhook = new AlertWebhook(node, (e, result) -> count(e, "webhook", result), firstRetryMillis);
    }

    public void notify(List<AlertEvent> transitions) {
        for (AlertEvent e : transitions) {
            log.accept(e.line());
            AlertActions a = e.rule().actions();
            if (!a.command().isEmpty()) {
                offer(e, "command", () -> count(e, "command", AlertCommand.run(e, node)));
            }
            if (a.webhook() != null) {
                webhook.send(e);
            }
            if (a.event() && events != null) {
                offer(e, "event", () -> count(e, "event", events.publish(e)));
            }
        }
    }

    private void offer(AlertEvent e, String action, Runnable task) {
        try {
            worker.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException full) {
            count(e, action, "dropped");
        }
    }

    private void count(AlertEvent e, String action, String result) {
        counts.computeIfAbsent(new Count(e.rule().name(), action, result), c -> new AtomicLong()).incrementAndGet();
    }

    /** One count so far. */
    public long count(Count c) {
        AtomicLong n = counts.get(c);
        return n == null ? 0 : n.get();
    }

    /** The actions' results so far (the agent's podhogs_alert_actions_total). */
    public Map<Count, Long> counts() {
        Map<Count, Long> copy = new java.util.HashMap<>();
        counts.forEach((c, n) -> copy.put(c, n.get()));
        return copy;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        webhook.close();
    }
}
