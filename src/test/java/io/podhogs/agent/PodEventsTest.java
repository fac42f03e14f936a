package io.podhogs.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.podhogs.alerts.AlertActions;
import io.podhogs.alerts.AlertEvent;
import io.podhogs.alerts.AlertLevel;
import io.podhogs.alerts.AlertRule;
import io.podhogs.alerts.AlertSubject;
import io.podhogs.alerts.Direction;
import io.podhogs.select.AccountFilter;
import io.podhogs.testing.MockApi;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An alert's Events on its pod, as the mock API server receives them: Warning when it fires, Normal
 * when it resolves, on the pod (namespace, name, UID), from podhogs on this node; none for an alert
 * about no pod; a refusal (no RBAC) counted as failed.
 */
class PodEventsTest {
    private final MockApi api = MockApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    private static AlertEvent event(AlertEvent.Status status, Map<String, String> labels) {
        AlertRule rule = new AlertRule("web-egress", 2, AlertLevel.POD, AccountFilter.ALL, List.of(), Direction.OUT,
                1_000_000, 500_000, Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
                new AlertActions(List.of(), AlertActions.DEFAULT_COMMAND_TIMEOUT, null, true));
        Instant start = Instant.parse("2026-12-06T21:00:00Z");
        return new AlertEvent(rule, status, new AlertSubject(AlertLevel.POD, "shop/web-1", labels), 2_000_000, start,
                status == AlertEvent.Status.FIRING ? null : start.plusSeconds(90),
                status == AlertEvent.Status.FIRING ? "" : "below 488.28 KiB/s for 1m");
    }

    @Test
    void firingAndResolvedAreEventsOnThePod() {
        KubernetesClient client = api.client();
        PodEvents events = new PodEvents(client, "node-1");
        Map<String, String> pod = Map.of("namespace", "shop", "pod", "web-1", "pod_uid", "uid-web-1");
        assertEquals("ok", events.publish(event(AlertEvent.Status.FIRING, pod)));
        assertEquals("ok", events.publish(event(AlertEvent.Status.RESOLVED, pod)));
        assertEquals("skipped", events.publish(event(AlertEvent.Status.FIRING, Map.of())), "no pod, no Event");

        List<Event> made = client.v1().events().inNamespace("shop").list().getItems().stream()
                .sorted(Comparator.comparing(Event::getType).reversed()).toList();
        assertEquals(2, made.size(), made::toString);
        Event firing = made.get(0);
        assertEquals("Warning", firing.getType());
        assertEquals("PodhogsAlertFiring", firing.getReason());
        assertEquals("Pod", firing.getInvolvedObject().getKind());
        assertEquals("web-1", firing.getInvolvedObject().getName());
        assertEquals("uid-web-1", firing.getInvolvedObject().getUid());
        assertEquals("podhogs", firing.getSource().getComponent());
        assertEquals("node-1", firing.getSource().getHost());
        assertEquals("alert FIRING web-egress: pod shop/web-1 1.91 MiB/s out (30s average), above 976.56 KiB/s",
                firing.getMessage());
        Event resolved = made.get(1);
        assertEquals("Normal", resolved.getType());
        assertEquals("PodhogsAlertResolved", resolved.getReason());
    }

    @Test
    void aRefusalIsCountedAsFailed() {
        api.server().expect().post().withPath("/api/v1/namespaces/shop/events").andReturn(403, "{\"kind\":\"Status\","
                + "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}").always();
        PodEvents events = new PodEvents(api.client(), "node-1");
        assertEquals("failed", events.publish(event(AlertEvent.Status.FIRING, Map.of("namespace", "shop", "pod",
                "web-1"))));
    }
}
