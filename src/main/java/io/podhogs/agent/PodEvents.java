package io.podhogs.agent;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.podhogs.alerts.AlertEvent;
import io.podhogs.alerts.AlertNotifier;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.jboss.logging.Logger;

/**
 * An alert's Kubernetes Event on its pod (rules with {@code event: true}), as the kubelet records
 * its own: Warning when it fires, Normal when it resolves, from component podhogs on this node. An
 * alert about no pod (a host process, a namespace) makes none. Called on the notifier's thread.
 */
final class PodEvents implements AlertNotifier.EventSink {
    private static final Logger LOG = Logger.getLogger(PodEvents.class);
    private final KubernetesClient client;
    private final String node;
    private String lastFailure = "";

    PodEvents(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    @Override
    public String publish(AlertEvent e) {
        String namespace = e.subject().label("namespace");
        String pod = e.subject().label("pod");
        if (namespace.isEmpty() || pod.isEmpty()) {
            return "skipped";
        }
        boolean firing = e.status() == AlertEvent.Status.FIRING;
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(pod + ".podhogs-").withNamespace(namespace).endMetadata()
                    .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(namespace).withName(pod)
                    .withUid(e.subject().label("pod_uid").isEmpty() ? null : e.subject().label("pod_uid")).endInvolvedObject()
                    .withType(firing ? "Warning" : "Normal")
                    .withReason(firing ? "PodhogsAlertFiring" : "PodhogsAlertResolved")
                    .withMessage(e.line())
                    .withNewSource().withComponent("podhogs").withHost(node).endSource()
                    .withReportingComponent("podhogs").withReportingInstance(node)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
            lastFailure = "";
            return "ok";
        } catch (KubernetesClientException ex) {
            String why = ex.getCode() == 403 ? "forbidden: the chart's agent.alerts.events grants events create"
                    : ex.getMessage();
            if (!why.equals(lastFailure)) {
                LOG.warnf("alert %s: no Event on pod %s/%s: %s", e.rule().name(), namespace, pod, why);
                lastFailure = why;
            }
            return "failed";
        }
    }
}
