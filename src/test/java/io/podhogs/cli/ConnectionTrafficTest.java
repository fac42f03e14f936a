package io.podhogs.cli;

import static io.podhogs.cli.MonitorRuns.lastRefresh;
import static io.podhogs.cli.MonitorRuns.number;
import static io.podhogs.cli.MonitorRuns.process;
import static io.podhogs.cli.MonitorRuns.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Await;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TmuxPane;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --by connection} on real traffic: one process on this host holds three connections of
 * known sizes to a sink behind a veth, from ports of its choosing. Each connection's row is exactly
 * the frames the sink's namespace counted for it (iptables, per port pair), both ways, and the
 * three add up to the process's own row in a {@code --by process} run beside it: nothing lost,
 * nothing twice, no rest row while every connection is listed; by port, each side's row of the
 * sink's port is the three connections from that side. And the top view's Enter on the
 * process shows them, driven in tmux as a person would.
 */
@Timeout(180)
class ConnectionTrafficTest extends MonitorRunFixture {
    private static final int ETHERNET = 14;
    private static final int CONNECTIONS = 3;
    /**
     * The clients' fixed source ports: below the ephemeral range (32768-60999), so that no other
     * connection of the machine can hold one when the client binds it. At 41,000 the client once
     * ended without saying "ready" in CI, most likely so (its error went unrecorded).
     */
    private static final int BASE_PORT = 24_000;

    @Test
    void eachConnectionsRowIsItsFramesAndTheyAddUpToTheProcess() throws Exception {
        TestNet.requireUsable();
        Host h = net.createHost();
        Path connectionsOut = dir.resolve("connections.out");
        Path processesOut = dir.resolve("processes.out");
        awaitCapture(startPodhogs(connectionsOut, "--json", "--by", "connection", "-d", "0.5", h.hostIf()),
                connectionsOut);
        awaitCapture(startPodhogs(processesOut, "--json", "-d", "0.5", h.hostIf()), processesOut);
        Path portsOut = dir.resolve("ports.out");
        awaitCapture(startPodhogs(portsOut, "--json", "--by", "port", "-d", "0.5", h.hostIf()), portsOut);
        net.bringUp(h);
        net.start(h.ns(), "tcp-sink", h.peerV4(), "5901", "--reply", "5000").expect("ready");
        List<Supplier<long[]>> toSink = new ArrayList<>();
        List<Supplier<long[]>> fromSink = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            String port = Integer.toString(BASE_PORT + i);
            toSink.add(net.countRule(h.ns(), "INPUT", "-p", "tcp", "--sport", port, "--dport", "5901"));
            fromSink.add(net.countRule(h.ns(), "OUTPUT", "-p", "tcp", "--sport", "5901", "--dport", port));
        }
        Endpoint client = net.start(null, "tcp-multi", h.peerV4(), "5901", "--count", Integer.toString(CONNECTIONS),
                "--bytes", "20000", "--base-port", Integer.toString(BASE_PORT), "--hold", "3");
        client.expect("ready");
        client.expect("sent");
        client.expect("done");

        // Frames as the veth carried them: IP bytes plus an Ethernet header each.
        List<List<Long>> expected = new ArrayList<>();
        List<Map<String, Object>> rows = Await.until(Duration.ofSeconds(20), Duration.ofMillis(250), () -> {
            expected.clear();
            for (int i = 0; i < CONNECTIONS; i++) {
                long[] up = toSink.get(i).get();
                long[] down = fromSink.get(i).get();
                expected.add(List.of(up[1] + ETHERNET * up[0], up[0], down[1] + ETHERNET * down[0], down[0]));
            }
            return lastRefresh(read(connectionsOut));
        }, r -> seen(r, client.pid()).equals(expected),
                r -> "the client's rows to be its connections' frames " + expected + ": " + r);
        for (int i = 0; i < CONNECTIONS; i++) {
            int port = i;
            Map<String, Object> row = rows.stream().filter(r -> r.get("connection") instanceof Map<?, ?> c
                    && c.get("local").equals(h.hostV4() + ":" + (BASE_PORT + port))).findFirst().orElseThrow();
            Map<?, ?> connection = (Map<?, ?>) row.get("connection");
            assertEquals(List.of("tcp", h.peerV4() + ":5901", h.hostIf(), false), List.of(connection.get("protocol"),
                    connection.get("remote"), connection.get("interface"), connection.get("inferred")));
        }

        long[] sums = new long[4];
        for (List<Long> c : expected) {
            for (int k = 0; k < 4; k++) {
                sums[k] += c.get(k);
            }
        }
        List<Long> total = List.of(sums[0], sums[1], sums[2], sums[3]);
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(250), () -> lastRefresh(read(processesOut)), r -> {
            Map<String, Object> p = process(r, client.pid());
            return p != null && List.of(number(p, "sent_bytes"), number(p, "sent_packets"), number(p, "received_bytes"),
                    number(p, "received_packets")).equals(total);
        }, r -> "the client's process row to be its connections' sum " + total + ": " + r);

        // By port: the client's side uses the sink's 5901, the sink's side serves it; each side's row
        // is the three connections from that side (the sink's sends are the client's receipts).
        List<Long> served = List.of(sums[2], sums[3], sums[0], sums[1]);
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(250), () -> lastRefresh(read(portsOut)),
                r -> total.equals(port(r, "tcp/5901 used")) && served.equals(port(r, "tcp/5901 served")),
                r -> "tcp/5901's rows: used " + total + ", served " + served + ": " + r);
    }

    /** The bytes and packets of the port row named {@code name}, or null. */
    private static List<Long> port(List<Map<String, Object>> rows, String name) {
        return rows.stream().filter(r -> "port".equals(r.get("kind")) && name.equals(r.get("program")))
                .map(r -> List.of(number(r, "sent_bytes"), number(r, "sent_packets"), number(r, "received_bytes"),
                        number(r, "received_packets"))).findFirst().orElse(null);
    }

    /**
     * The top view as a person drills down: the client's row first (sorted by sent, 's'), Enter shows
     * its three connections, each on iftop's two lines with its local port and the sink's end, and
     * Esc goes back to the table.
     */
    @Test
    void enterOnTheProcessShowsItsConnectionsAndEscGoesBack() throws Exception {
        TestNet.requireUsable();
        assertTrue(Shell.onPath("tmux"), "needs tmux");
        Host h = net.createHost();
        net.bringUp(h);
        net.start(h.ns(), "tcp-sink", h.peerV4(), "5902", "--reply", "5000").expect("ready");
        try (TmuxPane pane = new TmuxPane(Duration.ofSeconds(60))) {
            pane.start(132, 30, false, Podhogs.command(List.of(), "-d", "0.5", h.hostIf()));
            pane.await("the top view", screen -> screen.contains("PID"));
            Endpoint client = net.start(null, "tcp-multi", h.peerV4(), "5902", "--count", Integer.toString(CONNECTIONS),
                    "--bytes", "20000", "--base-port", Integer.toString(BASE_PORT + 10), "--hold", "30");
            client.expect("ready");
            client.expect("sent");
            pane.type("s");
            pane.await("the client's row first", screen -> screen.lines().skip(4).findFirst().orElse("")
                    .matches(" *" + client.pid() + " .*"));
            pane.send("Enter");
            String screen = pane.await("the client's three connections", s -> s.lines()
                    .filter(l -> l.contains("=> " + h.peerV4() + ":5902")).count() == CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                String local = h.hostV4() + ":" + (BASE_PORT + 10 + i);
                assertTrue(screen.lines().anyMatch(l -> l.startsWith(local + " ") && l.contains(" tcp ")),
                        () -> local + " on a line of its own:\n" + screen);
            }
            assertTrue(screen.contains("connections of "), screen);
            assertEquals(CONNECTIONS, screen.lines().filter(l -> l.strip().startsWith("<=")).count(), screen);
            pane.send("Escape");
            pane.await("the table again", s -> s.contains("    PID") && !s.contains("connections of"));
            pane.type("q");
            assertEquals(0, pane.awaitExit());
        }
    }

    /**
     * The client's rows, ordered by local port: each connection's bytes and packets both ways. A
     * rest row (connection null) is one more entry, which no expectation has.
     */
    private static List<List<Long>> seen(List<Map<String, Object>> rows, long pid) {
        return rows.stream().filter(r -> "connection".equals(r.get("kind")) && number(r, "pid") == pid)
                .sorted(java.util.Comparator.comparing(r -> r.get("connection") instanceof Map<?, ?> c
                        ? (String) c.get("local") : "~"))
                .map(r -> List.of(number(r, "sent_bytes"), number(r, "sent_packets"), number(r, "received_bytes"),
                        number(r, "received_packets")))
                .toList();
    }
}
