package io.podhogs.agent;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** /q/health/live and /q/health/ready: capture threads running; the first refresh done. */
final class AgentHealth {
    private AgentHealth() {
    }

    @Liveness
    @Singleton
    static class Capturing implements HealthCheck {
        @Inject
        Agent agent;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("capture").status(agent.live()).build();
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
