package io.podhogs.identity;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.Closeable;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.jboss.logging.Logger;

/**
 * Docker's containers by ID (name, image, labels, state), kept current from the daemon's events
 * stream on a thread of its own and published as an immutable map: the exports read it, nothing on
 * the packet path waits for Docker. Only the Unix socket is used (DOCKER_HOST must be unix://).
 *
 * <p>No daemon, or one that goes away: counting goes on with the cgroup IDs alone; one line is
 * logged when the daemon is lost and one when it is back, and in between the last known names are
 * kept. Containers that are removed stay known (state "removed", the latest {@value #REMOVED_KEPT}),
 * since their traffic stays in the accounts.
 */
public final class DockerContainers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DockerContainers.class);
    private static final int REMOVED_KEPT = 1024;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final String socket;
    private final DockerClient client;
    private final Thread thread;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private volatile Map<String, ContainerInfo> byId = Map.of();
    private volatile boolean connected;
    private volatile boolean running = true;
    private volatile Closeable events;
    /** Removed containers, oldest first. Daemon thread only. */
    private final Map<String, ContainerInfo> removed = new LinkedHashMap<>();

    private DockerContainers(String socket) {
        this.socket = socket;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + socket)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(10))
                .build();
        this.client = DockerClientImpl.getInstance(config, http);
        this.thread = new Thread(this::run, "podhogs-docker");
        this.thread.setDaemon(true);
    }

    /**
     * Starts following the daemon at {@code socket} (a path, e.g. /var/run/docker.sock); returns
     * once the first attempt to list the containers is over, successful or not.
     */
    public static DockerContainers follow(String socket) {
        DockerContainers docker = new DockerContainers(socket);
        docker.thread.start();
        try {
            docker.firstAttempt.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return docker;
    }

    public Optional<ContainerInfo> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every container known, removed ones included. */
    public Map<String, ContainerInfo> all() {
        return byId;
    }

    /** Whether the daemon answers now. */
    public boolean connected() {
        return connected;
    }

    private void run() {
        Duration wait = FIRST_RETRY;
        boolean everConnected = false;
        boolean reported = false;
        while (running) {
            try {
                Map<String, ContainerInfo> listed = listAll();
                publish(listed);
                connected = true;
                wait = FIRST_RETRY;
                if (reported || everConnected) {
                    LOG.infof("docker: the daemon at %s is back: %d containers", socket, listed.size());
                }
                everConnected = true;
                reported = false;
                firstAttempt.countDown();
                followEvents(); // returns when the stream ends: the daemon went away
            } catch (RuntimeException e) {
                // docker-java wraps I/O errors in runtime exceptions: all mean "no daemon now".
                if (!reported && running) {
                    LOG.warnf("docker: no daemon at %s (%s): counting goes on with cgroup IDs; names come when it"
                            + " answers", socket, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    reported = true;
                }
            }
            connected = false;
            firstAttempt.countDown();
            if (running) {
                sleep(wait);
                wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
            }
        }
    }

    private Map<String, ContainerInfo> listAll() {
        Map<String, ContainerInfo> listed = new HashMap<>();
        for (Container c : client.listContainersCmd().withShowAll(true).exec()) {
            ContainerInfo info = info(c);
            listed.put(info.id(), info);
        }
        return listed;
    }

    /** Applies the events of containers until the stream ends. */
    private void followEvents() {
        CountDownLatch ended = new CountDownLatch(1);
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                if (event.getId() != null) {
                    refresh(event.getId());
                }
            }

            @Override
            public void onError(Throwable throwable) {
                ended.countDown();
            }

            @Override
            public void onComplete() {
                ended.countDown();
            }
        };
        events = client.eventsCmd().withEventTypeFilter(EventType.CONTAINER).exec(callback);
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running) {
            LOG.warnf("docker: lost the daemon at %s: counting goes on with cgroup IDs and the last known names",
                    socket);
        }
    }

    /** Reads one container again after an event about it. */
    private synchronized void refresh(String id) {
        List<Container> found = client.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec();
        Map<String, ContainerInfo> next = new HashMap<>(byId);
        ContainerInfo now = found.stream().map(DockerContainers::info).filter(i -> i.id().equals(id)).findFirst()
                .orElse(null);
        if (now != null) {
            next.put(id, now);
            removed.remove(id);
        } else if (next.containsKey(id)) {
            ContainerInfo gone = next.get(id).removed();
            next.put(id, gone);
            removed.put(id, gone);
            trimRemoved(next);
        }
        byId = Map.copyOf(next);
    }

    private synchronized void publish(Map<String, ContainerInfo> listed) {
        Map<String, ContainerInfo> next = new HashMap<>(listed);
        for (ContainerInfo known : byId.values()) {
            if (!listed.containsKey(known.id())) {
                ContainerInfo gone = known.state().equals("removed") ? known : known.removed();
                next.put(known.id(), gone);
                removed.putIfAbsent(known.id(), gone);
            }
        }
        trimRemoved(next);
        byId = Map.copyOf(next);
    }

    private void trimRemoved(Map<String, ContainerInfo> next) {
        while (removed.size() > REMOVED_KEPT) {
            String oldest = removed.keySet().iterator().next();
            removed.remove(oldest);
            next.remove(oldest);
        }
    }

    private static ContainerInfo info(Container c) {
        String[] names = c.getNames();
        String name = names != null && names.length > 0 ? names[0] : "";
        if (name.startsWith("/")) {
            name = name.substring(1);
        }
        Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
        return new ContainerInfo(c.getId(), name, c.getImage() == null ? "" : c.getImage(), labels,
                c.getState() == null ? "" : c.getState());
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        Closeable stream = events;
        if (stream != null) {
            try {
                stream.close();
            } catch (java.io.IOException e) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            client.close();
        } catch (java.io.IOException e) {
            // nothing more to release
        }
    }
}
