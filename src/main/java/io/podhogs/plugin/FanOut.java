package io.podhogs.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Asks every agent at once, at most {@code parallel} at a time and each for at most {@code timeout}
 * (all its pages together): a slow node costs the answer one timeout, not one per node, and never
 * the other nodes' rows. An agent's list is read page by page to its end, so that totals are whole;
 * a page whose list the agent no longer keeps (410) starts the list again, a few times at most.
 */
final class FanOut implements AutoCloseable {
    /** Rows asked for a page: the agent's default, well under its maximum. */
    static final int PAGE = 500;
    /** Pages read from one agent at most: a list of more than 2.5 million rows is not an agent's. */
    static final int MAX_PAGES = 5000;
    /** Lists started again after their pages expired, at most. */
    static final int MAX_RESTARTS = 2;

    private final ObjectMapper json;
    private final Duration timeout;
    private final ExecutorService pool;
    private final Function<KubectlAgent, AgentChannel> channels;

    FanOut(Function<KubectlAgent, AgentChannel> channels, ObjectMapper json, int parallel, Duration timeout) {
        this.channels = channels;
        this.json = json;
        this.timeout = timeout;
        // Daemon threads: a request that hangs past its timeout must not keep the JVM from exiting.
        this.pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "podhogs-fan-out");
            t.setDaemon(true);
            return t;
        });
    }

    /** Every agent's answer (ready ones asked, the others failed as they are), in the agents' order. */
    List<NodeAnswer> ask(List<KubectlAgent> agents, String list) {
        return all(agents, a -> askOne(a, list));
    }

    /**
     * Every agent's answer to one GET of {@code pathAndQuery} that is not a paged list (the
     * history): its {@code items}, within the timeout.
     */
    List<NodeAnswer> askOnce(List<KubectlAgent> agents, String pathAndQuery) {
        return all(agents, a -> getOnce(a, pathAndQuery));
    }

    /** {@code one} for every agent at once (ready ones; the others failed as they are), in the agents' order. */
    private List<NodeAnswer> all(List<KubectlAgent> agents, java.util.function.Function<KubectlAgent, NodeAnswer> one) {
        List<Callable<NodeAnswer>> tasks = new ArrayList<>();
        for (KubectlAgent a : agents) {
            tasks.add(() -> a.ready() ? one.apply(a) : NodeAnswer.failed(a, 0, a.notReady()));
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

    private NodeAnswer getOnce(KubectlAgent agent, String pathAndQuery) {
        try (AgentChannel channel = channels.apply(agent)) {
            AgentChannel.Answer answer = channel.get(pathAndQuery, timeout);
            if (answer.timedOut()) {
                return NodeAnswer.failed(agent, 0, timedOut());
            }
            if (answer.failure() != null) {
                return NodeAnswer.failed(agent, answer.status(), answer.failure());
            }
            if (answer.status() != 200) {
                return NodeAnswer.failed(agent, answer.status(), "HTTP " + answer.status() + statusMessage(answer.body()));
            }
            JsonNode doc;
            try {
                doc = json.readTree(answer.body());
            } catch (java.io.IOException e) {
                return NodeAnswer.failed(agent, 200, "not a podhogs agent's answer (not JSON)");
            }
            JsonNode items = doc == null ? null : doc.get("items");
            if (items == null || !items.isArray()) {
                return NodeAnswer.failed(agent, 200, "not a podhogs agent's answer (no JSON list)");
            }
            List<ObjectNode> rows = new ArrayList<>();
            for (JsonNode row : items) {
                if (!(row instanceof ObjectNode o)) {
                    return NodeAnswer.failed(agent, 200, "not a podhogs agent's answer (rows that are not objects)");
                }
                rows.add(o);
            }
            return NodeAnswer.answered(agent, rows, doc.path("truncated").asBoolean(false) ? 1 : 0);
        }
    }

    /** Every page of one agent's list, within the timeout. */
    private NodeAnswer askOne(KubectlAgent agent, String list) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (AgentChannel channel = channels.apply(agent)) {
            List<ObjectNode> rows = new ArrayList<>();
            long omitted = 0;
            String token = null;
            int restarts = 0;
            for (int pages = 0; pages < MAX_PAGES; pages++) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return NodeAnswer.failed(agent, 0, timedOut());
                }
                String path = "/api/v1/" + list + "?limit=" + PAGE
                        + (token == null ? "" : "&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
                AgentChannel.Answer answer = channel.get(path, Duration.ofNanos(left));
                if (answer.timedOut()) {
                    return NodeAnswer.failed(agent, 0, timedOut());
                }
                if (answer.failure() != null) {
                    return NodeAnswer.failed(agent, answer.status(), answer.failure());
                }
                if (answer.status() == 410 && token != null && restarts < MAX_RESTARTS) {
                    // The agent let the pinned rows go (another client paged many lists at once): again, whole.
                    restarts++;
                    rows.clear();
                    token = null;
                    continue;
                }
                if (answer.status() != 200) {
                    return NodeAnswer.failed(agent, answer.status(), "HTTP " + answer.status() + statusMessage(answer.body()));
                }
                JsonNode page;
                try {
                    page = json.readTree(answer.body());
                } catch (java.io.IOException e) {
                    return NodeAnswer.failed(agent, 200, "not a podhogs agent's answer (not JSON)");
                }
                JsonNode items = page == null ? null : page.isArray() ? page : page.get("items"); // an array: an agent before pages
                if (items == null || !items.isArray()) {
                    return NodeAnswer.failed(agent, 200, "not a podhogs agent's answer (no JSON list)");
                }
                for (JsonNode row : items) {
                    if (!(row instanceof ObjectNode o) || !o.has("usage")) {
                        return NodeAnswer.failed(agent, 200, "not a podhogs agent's answer (rows without usage)");
                    }
                    rows.add(o);
                }
                omitted = page.path("omitted").asLong(0);
                token = page.hasNonNull("continue") ? page.get("continue").asText() : null;
                if (token == null) {
                    return NodeAnswer.answered(agent, rows, omitted);
                }
            }
            return NodeAnswer.failed(agent, 0, "the agent's list did not end after " + MAX_PAGES + " pages");
        }
    }

    private String timedOut() {
        return "no answer within " + Durations.format(timeout);
    }

    /** ": " and the answer's message (the agent's 'error', the API server's Status), or its body's first line. */
    private String statusMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode status = json.readTree(body);
            if (status != null && status.hasNonNull("error")) {
                return ": " + Cluster.oneLine(status.get("error").asText());
            }
            if (status != null && status.hasNonNull("message")) {
                return ": " + Cluster.oneLine(status.get("message").asText());
            }
        } catch (java.io.IOException e) {
            // not JSON: the body as it is
        }
        return ": " + Cluster.oneLine(body.lines().findFirst().orElse(""));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
