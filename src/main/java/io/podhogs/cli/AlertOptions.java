package io.podhogs.cli;

import io.podhogs.alerts.AlertMonitor;
import io.podhogs.alerts.AlertNotifier;
import io.podhogs.alerts.AlertRule;
import io.podhogs.alerts.AlertRulesFile;
import io.podhogs.alerts.VolumeSource;
import io.podhogs.apps.Applications;
import io.podhogs.export.UserNames;
import io.podhogs.identity.Identities;
import io.podhogs.node.NodeMonitor;
import io.podhogs.select.RulesFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** --alerts (a picocli mixin): bwmon's notifications, from a rules file, evaluated beside the views. */
final class AlertOptions {
    @Option(names = "--alerts", paramLabel = "FILE", description = "Alert rules: the 'alerts' list of a YAML file"
            + " (it may be the --apps file; README.md, 'Alerts'): a process, application, container, pod or namespace"
            + " whose in, out or total rate, averaged over a window, passes a threshold fires once (a line on stderr,"
            + " a command, a webhook) and resolves once it stays below a lower one; a volume rule (10GiB a day) reads"
            + " the --history file.")
    Path file;

    boolean wanted() {
        return file != null;
    }

    /**
     * The rules of the file; an IllegalArgumentException says what is wrong, where.
     *
     * @param kubernetes whether a cluster may be used (pods, namespaces and selectors need one)
     */
    List<AlertRule> rules(UserNames names, boolean kubernetes, boolean historyRecorded) {
        List<AlertRule> rules;
        try {
            rules = AlertRulesFile.read(file, names::uid, kubernetes, false);
        } catch (RulesFileException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        for (AlertRule r : rules) {
            if (r.volume() != null && !historyRecorded) {
                throw new IllegalArgumentException(file + ":" + r.line() + ": alert '" + r.name() + "' counts the bytes"
                        + " of a " + r.volume().periodWord() + " from the history, which needs --history FILE");
            }
        }
        return rules;
    }

    /**
     * Starts evaluating {@code rules} on what the node's engine counts, every second.
     *
     * @param nodeName this host's name, in the commands' environment and the webhooks' labels
     * @param lines where each firing and resolved line goes (stderr, the top view's status line)
     * @param applications the grouping of per: app rules
     * @param history the --history file volume rules read, or null
     */
    static AlertMonitor start(List<AlertRule> rules, NodeMonitor node, String nodeName, Identities identities,
                              UserNames users, Applications applications, Path history, Consumer<String> lines) {
        AlertNotifier notifier = new AlertNotifier(lines, nodeName, null, 1_000);
        return AlertMonitor.start(new AlertMonitor.Inputs(node.engine()::snapshot, identities, identities::name,
                users::name, () -> applications, history == null ? null : VolumeSource.history(history)), () -> rules,
                notifier, AlertMonitor.PERIOD);
    }
}
