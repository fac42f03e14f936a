package io.podhogs.export;

import static io.podhogs.export.ConnectionFixtures.flow;
import static io.podhogs.export.ConnectionFixtures.process;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.podhogs.accounting.ConnectionKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.FlowSnapshot;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which end of a connection is its service port, and the names of ranges (--port-range; the first
 * that holds a port names it: dns, not dns-too).
 */
class PortRangesTest {
    private static final ProcessOwner OWNER = process(7, "/usr/bin/app", CgroupIdentity.NONE);
    private static final PortRanges RANGES = new PortRanges(List.of(new PortRanges.Range("web", 8000, 8999),
            new PortRanges.Range("dns", 53, 53), new PortRanges.Range("dns-too", 53, 53)), 32768, 60999);
    private static final PortRanges UNNAMED = new PortRanges(List.of(), 32768, 60999);

    private static String row(PortRanges ranges, int local, int remote) {
        FlowSnapshot f = flow(OWNER, local, remote, Traffic.NONE);
        return ranges.keyOf(ConnectionKey.of(f.key(), OWNER, null, false)).name();
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # local | remote | row without names | row with names
            8080    | 51234  | tcp/8080 served   | web (tcp/8000-8999) served
            51234   | 5432   | tcp/5432 used     | tcp/5432 used
            40000   | 53     | tcp/53 used       | dns (tcp/53) used
            22      | 1022   | tcp/22 served     | tcp/22 served
            5432    | 8080   | tcp/5432 served   | web (tcp/8000-8999) used
            40000   | 50000  | tcp/40000 served  | tcp/40000 served
            """)
    void anEphemeralPortIsTheClientsElseANamedOneIsTheServiceElseTheLower(int local, int remote, String unnamed,
                                                                          String named) {
        assertEquals(unnamed, row(UNNAMED, local, remote));
        assertEquals(named, row(RANGES, local, remote));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            web                | --port-range is NAME=PORT or NAME=LOW-HIGH (web=8000-8999), not 'web'
            web=8000-          | --port-range is NAME=PORT or NAME=LOW-HIGH (web=8000-8999), not 'web=8000-'
            =80                | --port-range is NAME=PORT or NAME=LOW-HIGH (web=8000-8999), not '=80'
            web=9000-8000      | --port-range web=9000-8000: ports go from 1 to 65535, low to high
            web=0              | --port-range web=0: ports go from 1 to 65535, low to high
            web=70000          | --port-range web=70000: ports go from 1 to 65535, low to high
            """)
    void aBadRangeIsOneLine(String spec, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> PortRanges.of(List.of(spec), HostFiles.system())).getMessage());
    }

    @Test
    void theEphemeralRangeIsTheKernelsElseLinuxsDefault(@TempDir Path root) throws Exception {
        HostFiles host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
        assertEquals(List.of(32768, 60999), List.of(PortRanges.ephemeral(host)[0], PortRanges.ephemeral(host)[1]));
        Path file = host.proc("sys", "net", "ipv4", "ip_local_port_range");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "10000\t20000\n");
        assertEquals(List.of(10000, 20000), List.of(PortRanges.ephemeral(host)[0], PortRanges.ephemeral(host)[1]));
        assertEquals("tcp/30000 served", row(PortRanges.of(List.of(), host), 30000, 15000));
    }

    @Test
    void atMostAThousandRanges() {
        List<String> many = java.util.stream.IntStream.rangeClosed(1, 1001).mapToObj(i -> "p" + i + "=" + i).toList();
        assertEquals("--port-range names at most 1000 ranges, not 1001", assertThrows(IllegalArgumentException.class,
                () -> PortRanges.of(many, HostFiles.system())).getMessage());
    }
}
