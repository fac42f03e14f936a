package io.podhogs.agent;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * /q/health/live and /q/health/ready. Live: the engine's thread runs and publishes (nothing for
 * ten refreshes is a stall), and every capture handle runs and takes frames; the kubelet restarts
 * the pod when it stays DOWN. Ready: the series were brought up to date lately. The answers name
 * the checks only; why one is DOWN is logged once when it turns so (the endpoints are open to
 * anyone who can reach the port).
 */
final class AgentHealth {
    private static final Logger LOG = Logger.getLogger(AgentHealth.class);

    private AgentHealth() {
    }

    /** UP or DOWN from a reason (empty: UP), logging each turn with the reason. */
    static final class Turns {
        private final String name;
        private final AtomicReference<String> last = new AtomicReference<>(Agent.NOT_STARTED);

        Turns(String name) {
            this.name = name;
        }

        HealthCheckResponse answer(Supplier<String> trouble) {
            String why = trouble.get();
            String before = last.getAndSet(why);
            // Turns are logged, the start (DOWN until the capture runs) is not.
            if (why.isEmpty() && !before.isEmpty() && !before.equals(Agent.NOT_STARTED)) {
                LOG.infof("liveness: %s is UP again", name);
            } else if (!why.isEmpty() && before.isEmpty()) {
                LOG.errorf("liveness: %s is DOWN: %s", name, why);
            }
            return HealthCheckResponse.named(name).status(why.isEmpty()).build();
        }
    }

    @Liveness
    @Singleton
    static class Counting implements HealthCheck {
        private final Turns turns = new Turns("engine");

        @Inject
        Agent agent;

        @Override
        public HealthCheckResponse call() {
            return turns.answer(agent::engineTrouble);
        }
    }

    @Liveness
    @Singleton
    static class Capturing implements HealthCheck {
        private final Turns turns = new Turns("capture");

        @Inject
        Agent agent;

        @Override
        public HealthCheckResponse call() {
            return turns.answer(agent::captureTrouble);
        }
    }

    @Readiness
    @Singleton
    static class FirstRefresh implements HealthCheck {
        @Inject
        Agent agent;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("first-refresh").status(agent.ready()).build();
        }
    }
}
