package io.podhogs.alerts;

import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs an alert's command: the program and arguments as the rule lists them, never through a shell
 * (a process's name is no text a shell may read), with the alert's fields in PODHOGS_ALERT_*
 * environment variables, its output discarded, killed (with what it started) after the rule's
 * timeout. On the notifier's thread, never the counting's.
 */
final class AlertCommand {
    private static final Logger LOG = Logger.getLogger(AlertCommand.class);

    private AlertCommand() {
    }

    /** The environment the command gets besides the monitor's own. */
    static Map<String, String> environment(AlertEvent e, String node) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PODHOGS_ALERT_NAME", e.rule().name());
        env.put("PODHOGS_ALERT_STATUS", e.status().label());
        env.put("PODHOGS_ALERT_LEVEL", e.subject().level().label());
        env.put("PODHOGS_ALERT_SUBJECT", e.subject().name());
        for (Map.Entry<String, String> l : e.subject().labels().entrySet()) {
            env.put("PODHOGS_ALERT_" + l.getKey().toUpperCase(Locale.ROOT), l.getValue());
        }
        env.put("PODHOGS_ALERT_DIRECTION", e.rule().direction().label());
        env.put("PODHOGS_ALERT_RATE", Double.isNaN(e.rate()) ? "" : Long.toString(Math.round(e.rate())));
        env.put("PODHOGS_ALERT_ABOVE", Long.toString(Math.round(e.rule().above())));
        env.put("PODHOGS_ALERT_CLEAR_BELOW", Long.toString(Math.round(e.rule().clearBelow())));
        env.put("PODHOGS_ALERT_WINDOW_SECONDS", Long.toString(e.rule().window().toSeconds()));
        env.put("PODHOGS_ALERT_STARTS_AT", DateTimeFormatter.ISO_INSTANT.format(e.startsAt()));
        env.put("PODHOGS_ALERT_ENDS_AT", e.endsAt() == null ? "" : DateTimeFormatter.ISO_INSTANT.format(e.endsAt()));
        env.put("PODHOGS_ALERT_REASON", e.reason());
        env.put("PODHOGS_ALERT_MESSAGE", e.line());
        env.put("PODHOGS_ALERT_NODE", node);
        return env;
    }

    /** Runs it to its end or its timeout; the result as the notifier counts it: ok, failed or timeout. */
    static String run(AlertEvent e, String node) {
        AlertActions a = e.rule().actions();
        ProcessBuilder b = new ProcessBuilder(a.command()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().putAll(environment(e, node));
        Process p;
        try {
            p = b.start();
        } catch (IOException ex) {
            LOG.warnf("alert %s: its command %s cannot be run: %s", e.rule().name(), a.command().get(0), ex.getMessage());
            return "failed";
        }
        try {
            if (!p.waitFor(a.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                LOG.warnf("alert %s: its command %s ran longer than %s and was killed", e.rule().name(),
                        a.command().get(0), Spans.text(a.commandTimeout()));
                return "timeout";
            }
        } catch (InterruptedException ex) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return "failed";
        }
        if (p.exitValue() != 0) {
            LOG.warnf("alert %s: its command %s exited with status %d", e.rule().name(), a.command().get(0),
                    p.exitValue());
            return "failed";
        }
        return "ok";
    }
}
