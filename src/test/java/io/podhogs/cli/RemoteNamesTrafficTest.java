package io.podhogs.cli;

import static io.podhogs.cli.MonitorRuns.lastRefresh;
import static io.podhogs.cli.MonitorRuns.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.testing.Await;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Remote ends' names on real traffic: the name a DNS answer gave an address (a DNS server behind a
 * veth, asked by a process on this host, which then connects to the address it was given), read
 * from podhogs's own handle on port 53; and, for an address no answer named, reverse DNS (the
 * system's resolver: 127.0.0.1 is localhost in /etc/hosts), which -n leaves out.
 */
@Timeout(180)
class RemoteNamesTrafficTest extends MonitorRunFixture {
    @Test
    void aConnectionIsToTheNameItsProcessLookedUp() throws Exception {
        TestNet.requireUsable();
        Host h = net.createHost();
        Path out = dir.resolve("connections.out");
        awaitCapture(startPodhogs(out, "--json", "--by", "connection", "-n", "-d", "0.5", h.hostIf()), out);
        net.bringUp(h);
        net.start(h.ns(), "dns-server", h.peerV4(), "53", "--answer", h.peerV4()).expect("ready");
        net.start(h.ns(), "tcp-sink", h.peerV4(), "5904").expect("ready");
        assertEquals(h.peerV4(), net.start(null, "dns-ask", h.peerV4(), "53", "--name", "Sink.Podhogs.test")
                .expect(h.peerV4()), "the server's answer");
        Endpoint client = net.start(null, "tcp-send", h.peerV4(), "5904", "--bytes", "10000", "--hold", "5");
        client.expect("ready");
        Map<?, ?> connection = Await.until(Duration.ofSeconds(30), Duration.ofMillis(250),
                () -> connectionTo(lastRefresh(read(out)), h.peerV4() + ":5904"),
                c -> c != null && !"".equals(c.get("remote_name")),
                c -> "the connection to the sink, named: " + c + "\n" + read(out));
        assertEquals("sink.podhogs.test", connection.get("remote_name"), "the name asked, in lower case");
    }

    @Test
    void anAddressNoAnswerNamedHasItsReverseNameUnlessDashN() throws Exception {
        Endpoint sink = net.start(null, "tcp-sink", "127.0.0.1", "5905");
        sink.expect("ready");
        Path named = dir.resolve("named.out");
        Path numeric = dir.resolve("numeric.out");
        awaitCapture(startPodhogs(named, "--json", "--by", "connection", "-d", "0.5", "lo"), named);
        awaitCapture(startPodhogs(numeric, "--json", "--by", "connection", "-n", "-d", "0.5", "lo"), numeric);
        Endpoint client = net.start(null, "tcp-send", "127.0.0.1", "5905", "--bytes", "10000", "--hold", "8");
        client.expect("ready");
        Map<?, ?> connection = Await.until(Duration.ofSeconds(30), Duration.ofMillis(250),
                () -> connectionTo(lastRefresh(read(named)), "127.0.0.1:5905"),
                c -> c != null && !"".equals(c.get("remote_name")),
                c -> "the connection to 127.0.0.1:5905, named: " + c + "\n" + read(named));
        assertEquals("localhost", connection.get("remote_name"), "/etc/hosts: 127.0.0.1 localhost");
        Map<?, ?> unnamed = Await.until(Duration.ofSeconds(30), Duration.ofMillis(250),
                () -> connectionTo(lastRefresh(read(numeric)), "127.0.0.1:5905"), c -> c != null,
                c -> "the connection in the -n run:\n" + read(numeric));
        assertEquals("", unnamed.get("remote_name"), "-n: no reverse DNS");
    }

    /** The connection object of the row whose remote end is {@code remote}, or null. */
    private static Map<?, ?> connectionTo(List<Map<String, Object>> rows, String remote) {
        return rows.stream().map(r -> r.get("connection")).filter(c -> c instanceof Map<?, ?> m
                && remote.equals(m.get("remote"))).map(c -> (Map<?, ?>) c).findFirst().orElse(null);
    }
}
