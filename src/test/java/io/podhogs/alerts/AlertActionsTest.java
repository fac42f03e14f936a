package io.podhogs.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.podhogs.select.AccountFilter;
import io.podhogs.testing.Await;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actions on their own: the command (no shell, the alert's fields in its environment, killed
 * after its timeout with what it started), the webhook (Alertmanager's JSON, tried again after a
 * failure, given up after a refusal, never waited for) and the log line.
 */
class AlertActionsTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private AlertNotifier notifier;

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static AlertEvent firing(AlertActions actions) {
        AlertRule rule = new AlertRule("upload-hog", 3, AlertLevel.PROCESS, AccountFilter.ALL, List.of(), Direction.OUT,
                10 * 1024 * 1024, 8 * 1024 * 1024, Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
                actions);
        AlertSubject rsync = new AlertSubject(AlertLevel.PROCESS, "/usr/bin/rsync/4242", Map.of("pid", "4242",
                "program", "/usr/bin/rsync", "user", "backup; rm -rf /"));
        return new AlertEvent(rule, AlertEvent.Status.FIRING, rsync, 12.5 * 1024 * 1024,
                Instant.parse("2026-12-06T21:00:00Z"), null, "");
    }

    @Test
    void theCommandGetsTheAlertInItsEnvironmentAndNoShell() throws Exception {
        Path out = dir.resolve("env.txt");
        Path script = dir.resolve("notify");
        Files.writeString(script, "#!/bin/sh\nenv | grep '^PODHOGS_ALERT_' | sort > \"$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        notifier = new AlertNotifier(lines::add, "node-1", null, 50);
        AlertEvent e = firing(new AlertActions(List.of(script.toString(), out.toString()), Duration.ofSeconds(10), null,
                false));
        notifier.notify(List.of(e));
        assertEquals(List.of("alert FIRING upload-hog: process /usr/bin/rsync/4242 12.50 MiB/s out (30s average),"
                + " above 10.00 MiB/s"), lines, "the line at once");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> Files.exists(out) && Files.size(out) > 0,
                () -> "the command's output");
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(20),
                () -> notifier.counts().getOrDefault(new AlertNotifier.Count("upload-hog", "command", "ok"), 0L) == 1,
                () -> "the command counted: " + notifier.counts());
        List<String> env = Files.readAllLines(out);
        assertTrue(env.containsAll(List.of("PODHOGS_ALERT_NAME=upload-hog", "PODHOGS_ALERT_STATUS=firing",
                "PODHOGS_ALERT_LEVEL=process", "PODHOGS_ALERT_SUBJECT=/usr/bin/rsync/4242", "PODHOGS_ALERT_PID=4242",
                "PODHOGS_ALERT_PROGRAM=/usr/bin/rsync", "PODHOGS_ALERT_USER=backup; rm -rf /",
                "PODHOGS_ALERT_DIRECTION=out", "PODHOGS_ALERT_RATE=13107200", "PODHOGS_ALERT_ABOVE=10485760",
                "PODHOGS_ALERT_CLEAR_BELOW=8388608", "PODHOGS_ALERT_WINDOW_SECONDS=30",
                "PODHOGS_ALERT_STARTS_AT=2026-12-06T21:00:00Z", "PODHOGS_ALERT_ENDS_AT=", "PODHOGS_ALERT_NODE=node-1")),
                env::toString);
    }

    @Test
    void aCommandThatHangsIsKilledWithWhatItStarted() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path script = dir.resolve("hang");
        Files.writeString(script, "#!/bin/sh\nsleep 600 &\necho $! > \"$1\"\nwait\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        notifier = new AlertNotifier(line -> { }, "node-1", null, 50);
        notifier.notify(List.of(firing(new AlertActions(List.of(script.toString(), pidFile.toString()),
                Duration.ofMillis(500), null, false))));
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> notifier.counts().getOrDefault(new AlertNotifier.Count("upload-hog", "command", "timeout"), 0L) == 1,
                () -> "the command killed: " + notifier.counts());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> ProcessHandle.of(child).isEmpty()
                || !ProcessHandle.of(child).get().isAlive(), () -> "its sleep " + child + " killed too");
    }

    @Test
    void theWebhookGetsAlertmanagersJsonAndIsTriedAgainAfterAFailure() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", x -> {
            bodies.add(new String(x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            int status = calls.incrementAndGet() <= 2 ? 503 : 200; // down twice, then up
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        server.createContext("/refuses", x -> {
            calls.incrementAndGet();
            x.sendResponseHeaders(400, -1);
            x.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        notifier = new AlertNotifier(line -> { }, "node-1", null, 50);
        long before = System.nanoTime();
        notifier.notify(List.of(firing(new AlertActions(List.of(), Duration.ofSeconds(10), URI.create(base + "/hook"),
                false))));
        assertTrue(System.nanoTime() - before < 200_000_000L, "notify does not wait for the webhook");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> notifier.counts().getOrDefault(new AlertNotifier.Count("upload-hog", "webhook", "ok"), 0L) == 1,
                () -> "the webhook delivered: " + notifier.counts());
        assertEquals(3, bodies.size(), "two failures, then delivered");
        assertEquals(1, bodies.stream().distinct().count(), "the same message each time");
        JsonNode doc = new ObjectMapper().readTree(bodies.get(0));
        assertEquals("4", doc.get("version").asText());
        assertEquals("firing", doc.get("status").asText());
        JsonNode alert = doc.get("alerts").get(0);
        assertEquals("upload-hog", alert.get("labels").get("alertname").asText());
        assertEquals("4242", alert.get("labels").get("pid").asText());
        assertEquals("node-1", alert.get("labels").get("node").asText());
        assertEquals("2026-12-06T21:00:00Z", alert.get("startsAt").asText());
        assertEquals("13107200", alert.get("annotations").get("rate_bytes_per_second").asText());

        calls.set(0);
        notifier.notify(List.of(firing(new AlertActions(List.of(), Duration.ofSeconds(10), URI.create(base + "/refuses"),
                false))));
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> notifier.counts().getOrDefault(new AlertNotifier.Count("upload-hog", "webhook", "failed"), 0L) == 1,
                () -> "the refusal counted: " + notifier.counts());
        Thread.sleep(300);
        assertEquals(1, calls.get(), "a 400 is not tried again");
        assertFalse(notifier.counts().containsKey(new AlertNotifier.Count("upload-hog", "webhook", "dropped")));
    }
}
