package io.podhogs.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What an alert does besides its log line (always written): run a command, POST to a webhook, make
 * a Kubernetes Event on the pod (the agent's).
 *
 * @param command the program and its arguments, run with no shell; empty for none
 * @param commandTimeout how long the command may run before it is killed
 * @param webhook where the Alertmanager-shaped JSON is POSTed; null for none
 * @param event whether the agent makes a Kubernetes Event on the pod (the chart's RBAC must allow it)
 */
public record AlertActions(List<String> command, Duration commandTimeout, URI webhook, boolean event) {
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    public static final AlertActions LOG_ONLY = new AlertActions(List.of(), DEFAULT_COMMAND_TIMEOUT, null, false);

    public AlertActions {
        command = List.copyOf(command);
    }
}
