package io.podhogs.agent;

import io.podhogs.apps.Applications;
import io.podhogs.engine.Engine;
import io.podhogs.export.UserNames;
import io.podhogs.history.HistoryException;
import io.podhogs.history.HistoryRecorder;
import io.podhogs.history.HistorySettings;
import io.podhogs.history.Resolution;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.Identities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The agent's history: on by default, into a file on the node (the chart's hostPath), so that a
 * pod's restart or an upgrade keeps it. A file that cannot be used is said in the log and the
 * agent runs on without a history: counting, metrics and the API do not depend on it.
 */
final class AgentHistory {
    private static final Logger LOG = Logger.getLogger(AgentHistory.class);

    private AgentHistory() {
    }

    /** The settings, checked: one line for what is wrong. */
    static HistorySettings settings(AgentConfig.History c) {
        if (c.topKeys() < 1) {
            throw new IllegalArgumentException("podhogs.history.top-keys must be 1 or more, not " + c.topKeys());
        }
        if (c.maxSizeMib() < 1) {
            throw new IllegalArgumentException("podhogs.history.max-size-mib must be 1 or more, not " + c.maxSizeMib());
        }
        if (c.flushInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("podhogs.history.flush-interval must be 1s or more, not " + c.flushInterval());
        }
        Map<Resolution, Duration> retention = new EnumMap<>(Resolution.class);
        keep(retention, Resolution.FIVE_MINUTES, c.retention().fiveMinutes(), "5min");
        keep(retention, Resolution.HOURS, c.retention().hours(), "hours");
        keep(retention, Resolution.DAYS, c.retention().days(), "days");
        keep(retention, Resolution.MONTHS, c.retention().months(), "months");
        keep(retention, Resolution.YEARS, c.retention().years(), "years");
        return new HistorySettings(c.flushInterval(), c.topKeys(), (long) c.maxSizeMib() << 20, retention);
    }

    private static void keep(Map<Resolution, Duration> retention, Resolution r, Duration d, String name) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("podhogs.history.retention." + name + " must be 0 (for ever) or more, not " + d);
        }
        if (!d.isZero()) {
            retention.put(r, d);
        }
    }

    /**
     * Starts recording what {@code engine} counts (before it starts), or says why not; empty when
     * the history is off or cannot be recorded.
     */
    static Optional<HistoryRecorder> start(AgentConfig.History c, HistorySettings settings, Engine engine,
                                           Identities identities, HostFiles host,
                                           Supplier<Applications> applications) {
        if (!c.enabled()) {
            return Optional.empty();
        }
        Path file = Path.of(c.file());
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir); // vnStat makes /var/lib/vnstat too; in the chart it is the hostPath
            }
            UserNames users = new UserNames(host);
            HistoryRecorder recorder = HistoryRecorder.start(file, settings, identities, identities::name, users::name,
                    applications, true, Clock.systemUTC());
            engine.recordHistory(recorder);
            LOG.infof("agent: recording the node's history into %s", file);
            return Optional.of(recorder);
        } catch (HistoryException e) {
            LOG.errorf("agent: no history recorded: %s (podhogs.history.enabled=false turns it off)", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.errorf("agent: no history recorded: history file %s cannot be made (%s); podhogs.history.enabled=false"
                    + " turns it off", file, e.getMessage());
        }
        return Optional.empty();
    }
}
