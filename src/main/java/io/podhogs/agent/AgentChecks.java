package io.podhogs.agent;

import io.podhogs.engine.EngineConfig;
import java.time.Duration;
import java.util.Locale;

/** The agent's settings that Quarkus reads but podhogs cannot use, each refused in one line before anything starts. */
final class AgentChecks {
    private AgentChecks() {
    }

    /** What Quarkus can read but podhogs cannot use, refused before anything starts. */
    static void settings(AgentConfig config) {
        EngineConfig.checkMaxFlows(config.maxFlows(), "podhogs.max-flows");
        if (config.metrics().refresh().toMillis() < 1) {
            throw new IllegalArgumentException("podhogs.metrics.refresh must be 1ms or more, not "
                    + config.metrics().refresh());
        }
        if (!config.metrics().auth().equals("kubernetes") && !config.metrics().auth().equals("none")) {
            throw new IllegalArgumentException("podhogs.metrics.auth is kubernetes or none, not " + config.metrics().auth());
        }
        if (config.metrics().maxProcessSeries() < 0) {
            throw new IllegalArgumentException("podhogs.metrics.max-process-series must be 0 or more, not "
                    + config.metrics().maxProcessSeries());
        }
        if (config.metrics().maxAppSeries() < 0) {
            throw new IllegalArgumentException("podhogs.metrics.max-app-series must be 0 or more, not "
                    + config.metrics().maxAppSeries());
        }
    }

    /**
     * Spans of time Quarkus reads whatever their size: those podhogs cannot use are refused here,
     * in one line, rather than overflowing later (a retention longer than podhogs can count
     * is kept for good instead).
     */
    static void spans(AgentConfig config) {
        within("podhogs.window", config.window(), Duration.ofMillis(1), Duration.ofDays(1));
        within("podhogs.metrics.refresh", config.metrics().refresh(), Duration.ofMillis(1), Duration.ofHours(1));
        within("podhogs.kubernetes.pod-grace", config.kubernetes().podGrace(), Duration.ZERO, Duration.ofDays(365));
        if (config.exitedRetention().isNegative()) {
            throw new IllegalArgumentException("podhogs.exited-retention cannot be negative: " + config.exitedRetention());
        }
    }

    private static void within(String setting, Duration value, Duration least, Duration most) {
        if (value.compareTo(least) < 0 || value.compareTo(most) > 0) {
            throw new IllegalArgumentException(setting + " must be between " + text(least) + " and " + text(most)
                    + ", not " + text(value));
        }
    }

    /** "2s", "0.001s", "24h": a Duration as Quarkus reads it back. */
    private static String text(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
