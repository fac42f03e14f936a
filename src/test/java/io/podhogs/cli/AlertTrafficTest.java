package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.podhogs.testing.Await;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bwmon's notifications on real traffic: {@code podhogs -t --alerts FILE} watches a veth while a
 * host process sends about 208 kB/s into its namespace for 12 s, then holds its socket idle. The
 * rule (above 100 kB/s over 3 s, clear below 50 kB/s for 2 s) fires exactly once for that process
 * and resolves exactly once, each time a line on stderr, a run of its command (with the alert in its
 * environment) and a POST to its webhook; the sink, which received every byte, never fires.
 */
@Timeout(180)
class AlertTrafficTest {
    private static final int DATAGRAMS = 2400; // 200 a second for 12 s, 1042 bytes each on the wire

    private final TestNet net = new TestNet();
    @TempDir
    Path dir;
    private HttpServer webhook;
    private Process podhogs;

    @AfterEach
    void cleanUp() {
        if (podhogs != null) {
            podhogs.destroyForcibly();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
        net.close();
    }

    @Test
    void aProcessOverItsThresholdFiresOnceAndResolvesOnce() throws Exception {
        TestNet.requireUsable();
        List<String> posts = Collections.synchronizedList(new ArrayList<>());
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", x -> {
            posts.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        webhook.start();
        Path ran = dir.resolve("ran.txt");
        Path script = dir.resolve("notify");
        Files.writeString(script, "#!/bin/sh\necho \"$PODHOGS_ALERT_STATUS $PODHOGS_ALERT_PID $PODHOGS_ALERT_NAME\" >> \"$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, String.join("\n",
                "alerts:",
                "  - name: sender-hog",
                "    match: udp-se[n]d            # the sender's command line, not the sink's",
                "    direction: out",
                "    above: 100kB/s",
                "    window: 3s",
                "    clear_below: 50kB/s",
                "    clear_after: 2s",
                "    command: [" + script + ", " + ran + "]",
                "    webhook: http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts",
                "  - name: receiver-hog",
                "    match: udp-si[n]k",
                "    direction: out               # the sink sends nothing: it must never fire",
                "    above: 1kB/s",
                "    window: 3s",
                ""));

        Host h = net.createHost();
        Path out = dir.resolve("podhogs.out");
        Path err = dir.resolve("podhogs.err");
        podhogs = new ProcessBuilder(Podhogs.command(List.of(), "-t", "-d", "1", "--alerts", rules.toString(),
                h.hostIf())).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> read(out).contains("Refreshing:")
                || !podhogs.isAlive(), ready -> ready, ready -> "podhogs to refresh:\n" + read(out) + read(err));
        assertTrue(podhogs.isAlive(), () -> read(err));
        net.bringUp(h);
        Endpoint sink = net.start(h.ns(), "udp-sink", h.peerV4(), "5831");
        sink.expect("ready");
        Endpoint sender = net.start(null, "udp-send", h.peerV4(), "5831", "--connected", "--count",
                Integer.toString(DATAGRAMS), "--size", "1000", "--pace", "0.005", "--hold", "60");
        sender.expect("ready");
        sender.expect("done");

        String firing = "podhogs: alert FIRING sender-hog: process ";
        String resolved = "podhogs: alert RESOLVED sender-hog: process ";
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), () -> read(err),
                text -> text.contains(resolved), text -> "the alert to fire and resolve:\n" + text);
        Thread.sleep(3000); // room for a second firing, were there one
        List<String> lines = read(err).lines().filter(l -> l.startsWith("podhogs: alert")).toList();
        assertEquals(2, lines.size(), () -> "one firing, one resolved:\n" + read(err));
        assertTrue(lines.get(0).startsWith(firing) && lines.get(0).contains("/" + sender.pid() + " "), lines::toString);
        assertTrue(lines.get(0).endsWith(", above 97.66 KiB/s"), lines::toString);
        assertTrue(lines.get(1).startsWith(resolved) && lines.get(1).endsWith(", below 48.83 KiB/s for 2s"),
                lines::toString);

        Await.until(Duration.ofSeconds(15), Duration.ofMillis(100), () -> read(ran).lines().count() == 2
                && posts.size() == 2, done -> done, done -> "the command twice and two posts: " + read(ran) + posts);
        assertEquals(List.of("firing " + sender.pid() + " sender-hog", "resolved " + sender.pid() + " sender-hog"),
                read(ran).lines().toList());
        ObjectMapper json = new ObjectMapper();
        List<String> statuses = new ArrayList<>();
        for (String post : posts) {
            JsonNode alert = json.readTree(post).get("alerts").get(0);
            statuses.add(alert.get("status").asText() + " " + alert.get("labels").get("pid").asText());
        }
        assertEquals(List.of("firing " + sender.pid(), "resolved " + sender.pid()), statuses);
    }

    /**
     * A volume rule on the history: with --history (flushed every second) a process that sends
     * 400,000 bytes passes a 300 kB-a-day cap and fires once, with the day's bytes so far; a program
     * below its cap does not.
     */
    @Test
    void aVolumeOverADayFiresOnceFromTheHistory() throws Exception {
        TestNet.requireUsable();
        Path rules = dir.resolve("volume.yaml");
        Files.writeString(rules, String.join("\n",
                "alerts:",
                "  - name: daily-cap",
                "    per: program",
                "    direction: out",
                "    volume: 300kB",
                "    period: day",
                ""));
        Host h = net.createHost();
        Path out = dir.resolve("volume.out");
        Path err = dir.resolve("volume.err");
        podhogs = new ProcessBuilder(Podhogs.command(List.of(), "-t", "-d", "1", "--alerts", rules.toString(),
                "--history", dir.resolve("h.db").toString(), "--history-flush", "1", h.hostIf()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> read(out).contains("Refreshing:")
                || !podhogs.isAlive(), ready -> ready, ready -> "podhogs to refresh:\n" + read(out) + read(err));
        net.bringUp(h);
        net.sendToPeer(h, "5832", 400_000);
        // Volume rules read the history every 15 s; it is written every second here.
        Await.until(Duration.ofSeconds(40), Duration.ofMillis(200), () -> read(err),
                text -> text.contains("podhogs: alert FIRING daily-cap: "), text -> "the cap to fire:\n" + text);
        Thread.sleep(16_000); // one more reading of the history: no second firing the same day
        List<String> lines = read(err).lines().filter(l -> l.startsWith("podhogs: alert")).toList();
        assertEquals(1, lines.size(), () -> "fired once:\n" + read(err));
        assertTrue(lines.get(0).matches("podhogs: alert FIRING daily-cap: program \\S+ \\(\\S+\\) [0-9.]+ KiB out this"
                + " day, above 292\\.97 KiB"), lines::toString);
    }

    @Test
    void aBadRulesFileStopsPodhogsBeforeItStartsInOneLine() throws Exception {
        Path rules = dir.resolve("bad.yaml");
        Files.writeString(rules, "alerts:\n  - name: hog\n    above: 10\n");
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "-t", "--alerts", rules.toString(), "lo");
        assertEquals(new Podhogs.Result(2, "", "podhogs: " + rules + ":3: above '10' is no rate: a number and a unit a"
                + " second, such as 10MiB/s, 500kB/s or 800kbit/s (podhogs --help lists the options)\n"), r);
        Files.writeString(rules, "alerts:\n  - name: cap\n    volume: 1GiB\n");
        r = Podhogs.run(Duration.ofSeconds(60), "-t", "--alerts", rules.toString(), "lo");
        assertEquals(new Podhogs.Result(2, "", "podhogs: " + rules + ":2: alert 'cap' counts the bytes of a day from the"
                + " history, which needs --history FILE (podhogs --help lists the options)\n"), r);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
