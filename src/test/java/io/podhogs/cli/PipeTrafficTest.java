package io.podhogs.cli;

import static io.podhogs.cli.MonitorRuns.lastRefresh;
import static io.podhogs.cli.MonitorRuns.number;
import static io.podhogs.cli.MonitorRuns.process;
import static io.podhogs.cli.MonitorRuns.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Await;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bwmon's pipe on real traffic: a client on this host sends 400,000 bytes through
 * {@code podhogs pipe} on 127.0.0.1 to a sink behind a veth, which answers 50,000. The pipe's own
 * counts are those bytes exactly; a monitor on the veth shows the relayed bytes once, as the pipe's
 * row, equal to the frames the sink's namespace counted from and to the pipe; the client, whose
 * bytes went to the pipe over loopback, has no row there (nothing counted twice).
 */
@Timeout(180)
class PipeTrafficTest extends MonitorRunFixture {
    private static final int ETHERNET = 14;

    @Test
    void thePipesCountsAreWhatItRelayedAndAMonitorShowsItOnce() throws Exception {
        TestNet.requireUsable();
        Host h = net.createHost();
        Path monitorOut = dir.resolve("monitor.out");
        awaitCapture(startPodhogs(monitorOut, "--json", "-d", "0.5", h.hostIf()), monitorOut);
        net.bringUp(h);
        Endpoint sink = net.start(h.ns(), "tcp-sink", h.peerV4(), "5851", "--reply", "50000");
        sink.expect("ready");
        // What crossed the veth to and from the sink's port: the pipe's upstream connection, whole.
        Supplier<long[]> toSink = net.countRule(h.ns(), "INPUT", "-s", h.hostV4(), "-p", "tcp", "--dport", "5851");
        Supplier<long[]> fromSink = net.countRule(h.ns(), "OUTPUT", "-d", h.hostV4(), "-p", "tcp", "--sport", "5851");

        Path pipeOut = dir.resolve("pipe.out");
        Process pipe = startPodhogs(pipeOut, "pipe", "5852", h.peerV4(), "5851");
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> read(pipeOut).contains("pipe: relaying")
                || !pipe.isAlive(), ready -> ready, ready -> "the pipe to listen:\n" + read(pipeOut));
        assertEquals("pipe: relaying 127.0.0.1:5852 to " + h.peerV4() + ":5851", read(pipeOut).lines().findFirst()
                .orElse(""));
        Endpoint client = net.start(null, "tcp-send", "127.0.0.1", "5852", "--bytes", "400000", "--hold", "0.3");
        client.expect("ready");
        client.expect("done");
        Await.until(Duration.ofSeconds(15), Duration.ofMillis(100), () -> read(pipeOut).contains("closed after"),
                done -> done, done -> "the connection's line:\n" + read(pipeOut));
        String line = read(pipeOut).lines().filter(l -> l.contains("closed after")).findFirst().orElseThrow();
        assertTrue(line.matches("pipe: 127\\.0\\.0\\.1:\\d+ closed after [0-9.]+ s: up 400000 bytes, down 50000 bytes"),
                line);

        long[] up = new long[2];
        long[] down = new long[2];
        List<Map<String, Object>> rows = Await.until(Duration.ofSeconds(20), Duration.ofMillis(250), () -> {
            long[] i = toSink.get();
            long[] o = fromSink.get();
            up[0] = i[1] + ETHERNET * i[0];
            up[1] = i[0];
            down[0] = o[1] + ETHERNET * o[0];
            down[1] = o[0];
            return lastRefresh(read(monitorOut));
        }, r -> {
            Map<String, Object> row = process(r, pipe.pid());
            return row != null && number(row, "sent_bytes") == up[0] && number(row, "received_bytes") == down[0];
        }, r -> "the pipe's row to be the frames to and from the sink, " + List.of(up[0], down[0]) + ": " + r);
        Map<String, Object> row = process(rows, pipe.pid());
        assertEquals(List.of(up[1], down[1]), List.of(number(row, "sent_packets"), number(row, "received_packets")));
        assertNull(process(rows, client.pid()), () -> "the client talked to the pipe over loopback: " + rows);

        Shell.run("kill", "-INT", Long.toString(pipe.pid()));
        assertTrue(pipe.waitFor(30, TimeUnit.SECONDS), () -> read(pipeOut));
        assertEquals(0, pipe.exitValue(), () -> read(pipeOut));
        assertTrue(read(pipeOut).contains("pipe: stopped: 1 connections relayed (0 refused, 0 failed to reach "
                + h.peerV4() + ":5851): up 400000 bytes, down 50000 bytes"), () -> read(pipeOut));
    }

    @Test
    void badArgumentsAndATakenPortAreOneLineAndStatusTwo() throws Exception {
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "pipe", "host", "70000");
        assertEquals(new Podhogs.Result(2, "", "podhogs pipe: PORT is a port number, 1 to 65535, not '70000' (podhogs"
                + " pipe --help lists the options)\n"), r);
        assertEquals(new Podhogs.Result(2, "", "podhogs: no such device: pipe (ip -br link lists the devices of this"
                + " host)\n"), Podhogs.run(Duration.ofSeconds(60), "-t", "-c", "1", "--", "pipe"),
                "a device named pipe is watched after --");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            r = Podhogs.run(Duration.ofSeconds(60), "pipe", Integer.toString(taken.getLocalPort()), "127.0.0.1", "9");
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().startsWith("podhogs pipe: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "),
                    r::toString);
        }
    }
}
