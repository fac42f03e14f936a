package io.podhogs.agent;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * Whether a bearer token may read /metrics, as kube-rbac-proxy decides it: a TokenReview says whose
 * it is, then a SubjectAccessReview whether that user may {@code get} the non-resource URL
 * {@code /metrics}. Answers are kept {@code ttl} (allowed and refused alike: a flood of one bad
 * token costs the API server one review a TTL), at most {@value #MAX_ENTRIES} tokens, the least
 * recently used dropped first and counted; a token is kept as its SHA-256, never as itself. At most
 * {@value #MAX_IN_FLIGHT} reviews are under way at once, so that tokens made up by the thousand
 * cannot turn the agent into a flood of the API server.
 */
final class TokenReviews implements AutoCloseable {
    static final int MAX_ENTRIES = 1024;
    static final int MAX_IN_FLIGHT = 4;
    static final String PATH = "/metrics";
    static final String VERB = "get";

    /** What a token may do. */
    enum Outcome { ALLOWED, FORBIDDEN, UNAUTHENTICATED }

    /** @param user the token's user, or "" when it is nobody's */
    record Decision(Outcome outcome, String user) {
    }

    private record Entry(Decision decision, long expires) {
    }

    private final KubernetesClient client;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    /** In access order: the least recently used first. */
    private final LinkedHashMap<String, Entry> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long reviews;
    private long evictions;

    TokenReviews(KubernetesClient client, Duration ttl, LongSupplier nanoClock) {
        this.client = client;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The answer kept for this token, if it is still fresh. */
    synchronized Optional<Decision> cached(String token) {
        String key = key(token);
        Entry e = cache.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (nanoClock.getAsLong() - e.expires() >= 0) {
            cache.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.decision());
    }

    /** A place among the reviews under way, or false when they are all taken. */
    boolean tryStart() {
        return inFlight.tryAcquire();
    }

    void finish() {
        inFlight.release();
    }

    /**
     * Asks the API server (blocking: off the event loop) and keeps the answer.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when it cannot answer; nothing is kept then
     */
    Decision review(String token) {
        TokenReview tr = client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build()).create();
        Decision d;
        if (tr.getStatus() == null || !Boolean.TRUE.equals(tr.getStatus().getAuthenticated())
                || tr.getStatus().getUser() == null) {
            d = new Decision(Outcome.UNAUTHENTICATED, "");
        } else {
            UserInfo user = tr.getStatus().getUser();
            SubjectAccessReview sar = client.resource(new SubjectAccessReviewBuilder().withNewSpec()
                    .withUser(user.getUsername()).withUid(user.getUid()).withGroups(user.getGroups())
                    .withExtra(user.getExtra()).withNewNonResourceAttributes().withPath(PATH).withVerb(VERB)
                    .endNonResourceAttributes().endSpec().build()).create();
            boolean allowed = sar.getStatus() != null && Boolean.TRUE.equals(sar.getStatus().getAllowed());
            d = new Decision(allowed ? Outcome.ALLOWED : Outcome.FORBIDDEN, user.getUsername());
        }
        keep(token, d);
        return d;
    }

    private synchronized void keep(String token, Decision d) {
        reviews++;
        long now = nanoClock.getAsLong();
        cache.values().removeIf(e -> now - e.expires() >= 0);
        while (cache.size() >= MAX_ENTRIES) {
            Iterator<Entry> eldest = cache.values().iterator();
            eldest.next();
            eldest.remove();
            evictions++;
        }
        cache.put(key(token), new Entry(d, now + ttlNanos));
    }

    /** Reviews asked of the API server since the start. */
    synchronized long reviews() {
        return reviews;
    }

    /** Answers dropped before their time to make room. */
    synchronized long evictions() {
        return evictions;
    }

    synchronized int size() {
        return cache.size();
    }

    private static String key(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
