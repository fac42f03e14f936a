package io.podhogs.agent;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * /metrics (and anything else of the management interface but health) on the node's addresses for
 * those allowed to read /metrics: a request from 127.0.0.1 (a process of the node, which could read
 * /proc anyway) passes; any other needs a bearer token that may
 * {@code get} the non-resource URL /metrics ({@link TokenReviews}): none or not one is 401, one not
 * allowed 403, and when the API server cannot say, 503 (nothing is kept). Health stays open: the
 * kubelet probes it, and it says UP or DOWN and the checks' names, nothing else.
 * {@code podhogs.metrics.auth=none} opens /metrics to anyone who reaches the port.
 */
@ApplicationScoped
public class MetricsGuard {
    private static final Logger LOG = Logger.getLogger(MetricsGuard.class);
    static final String REALM = "Bearer realm=\"podhogs\"";

    @Inject
    Agent agent;

    @Inject
    AgentConfig config;

    void route(@Observes ManagementInterface management) {
        // Every path of the management interface, before any handler the extensions added: fail
        // closed (/metrics/, //metrics and whatever else a handler might answer need a token too).
        management.router().route().order(Integer.MIN_VALUE).handler(this::check);
    }

    /** Health: /q/health and below, as the kubelet asks it (normalized: no //, no ..). */
    static boolean open(String normalizedPath) {
        return normalizedPath.equals("/q/health") || normalizedPath.startsWith("/q/health/");
    }

    private void check(RoutingContext ctx) {
        if (open(ctx.normalizedPath()) || config.metrics().auth().equals("none")
                || loopback(ctx.request().remoteAddress().hostAddress())) {
            ctx.next();
            return;
        }
        String token = bearer(ctx.request().getHeader("Authorization"));
        if (token == null) {
            deny(ctx, 401, "/metrics needs a bearer token of an account allowed get on /metrics (the chart's"
                    + " metrics-reader ClusterRole)");
            return;
        }
        TokenReviews reviews = agent.tokenReviews();
        if (reviews == null) {
            deny(ctx, 401, "this agent has no Kubernetes API to check tokens with: /metrics answers 127.0.0.1 only"
                    + " (podhogs.metrics.auth=none opens it)");
            return;
        }
        var kept = reviews.cached(token);
        if (kept.isPresent()) {
            decide(ctx, kept.get());
            return;
        }
        if (!reviews.tryStart()) {
            ctx.response().putHeader("Retry-After", "1");
            deny(ctx, 429, "too many tokens being checked at once: retry after 1 s");
            return;
        }
        ctx.vertx().executeBlocking(() -> reviews.review(token), false).onComplete(done -> {
            reviews.finish();
            if (done.succeeded()) {
                decide(ctx, done.result());
            } else {
                LOG.warnf("metrics: cannot check a scraper's token: %s", done.cause().getMessage());
                ctx.response().putHeader("Retry-After", "5");
                deny(ctx, 503, "cannot check the token: the Kubernetes API did not answer");
            }
        });
    }

    private static void decide(RoutingContext ctx, TokenReviews.Decision d) {
        switch (d.outcome()) {
            case ALLOWED -> ctx.next();
            case FORBIDDEN -> deny(ctx, 403, "forbidden: " + d.user() + " may not get " + TokenReviews.PATH
                    + " (bind it to the chart's metrics-reader ClusterRole)");
            case UNAUTHENTICATED -> deny(ctx, 401, "the bearer token is not valid (TokenReview)");
        }
    }

    private static void deny(RoutingContext ctx, int status, String message) {
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", REALM);
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }

    /** The token of an "Authorization: Bearer TOKEN" header, or null. */
    static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    /** A peer on the loopback network: 127.0.0.0/8, ::1, and ::ffff:127.x (a literal address, never resolved). */
    static boolean loopback(String address) {
        if (address == null || address.isEmpty() || !address.matches("[0-9a-fA-F:.%]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
