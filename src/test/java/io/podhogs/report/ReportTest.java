package io.podhogs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.cli.Cli;
import io.podhogs.host.HostFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code podhogs report} on logs written here, each case a log, the options and the CSV it must give:
 * the cases the naive parsers of nethogs logs get wrong (summing cumulative blocks, losing a run).
 */
class ReportTest {
    @TempDir
    Path dir;

    record Case(String name, String log, List<String> options, String csv) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String NETHOGS_START = "Adding local address: 10.0.0.1\nEthernet link detected\n"
            + "Waiting for first packet to arrive (see sourceforge.net bug 1019381)\n";

    static List<Case> cases() {
        String header = "program,pid,uid,user,sent_bytes,received_bytes,estimate\r\n";
        return List.of(
                new Case("a cumulative log counts each process's last value, not the sum of its blocks",
                        NETHOGS_START + "\nRefreshing:\n/usr/bin/curl/100/1000\t10\t20\nunknown TCP/0/0\t0\t0\n"
                                + "\nRefreshing:\n/usr/bin/curl/100/1000\t30\t50\nunknown TCP/0/0\t7\t0\n",
                        List.of("-v", "2", "--by", "pid"),
                        header + "/usr/bin/curl,100,1000,,30,50,false\r\nunknown TCP,0,0,,7,0,false\r\n"),
                new Case("KB totals are 1024 bytes, six significant digits as nethogs prints them",
                        "\nRefreshing:\n/usr/bin/scp/7/0\t1.5\t1.23457e+06\n",
                        List.of("-v", "1", "--by", "pid"),
                        header + "/usr/bin/scp,7,0,,1536,1264199680,false\r\n"),
                new Case("a rate log sums rate x interval and says it is an estimate",
                        "\nRefreshing:\n/usr/bin/curl/100/1000\t1.5\t0\n\nRefreshing:\n/usr/bin/curl/100/1000\t1.5\t0.25\n"
                                + "\nRefreshing:\n",
                        List.of("-v", "0", "--interval", "2", "--by", "pid"),
                        header + "/usr/bin/curl,100,1000,,6144,512,true\r\n"),
                new Case("nethogs started again into the same log: the runs add up",
                        NETHOGS_START + "\nRefreshing:\n/usr/bin/curl/100/1000\t100\t5\n"
                                + NETHOGS_START + "\nRefreshing:\n/usr/bin/curl/100/1000\t140\t5\n",
                        List.of("-v", "2", "--by", "pid"),
                        header + "/usr/bin/curl,100,1000,,240,10,false\r\n"),
                new Case("a counter back to zero without a restart line (a pid used again): the runs add up",
                        "\nRefreshing:\n/usr/bin/curl/100/1000\t100\t5\n\nRefreshing:\n/usr/bin/curl/100/1000\t40\t6\n",
                        List.of("-v", "2", "--by", "pid"),
                        header + "/usr/bin/curl,100,1000,,140,11,false\r\n"),
                new Case("names with spaces, tabs and slashes, podhogs's namespace rows and remote classes",
                        "\nRefreshing:\n/opt/my app/bin\tx/5/0\t1\t2\nunknown TCP [net:4026532301]/0/0\t3\t4\n"
                                + "shop/cart-7d9/0/0\t10\t20\texternal=1/2\tin-cluster=9/18\n",
                        List.of("-v", "2", "--by", "pid"),
                        header + "shop/cart-7d9,0,0,,10,20,false\r\nunknown TCP [net:4026532301],0,0,,3,4,false\r\n"
                                + "/opt/my app/bin\tx,5,0,,1,2,false\r\n"),
                new Case("CRLF line ends",
                        "\r\nRefreshing:\r\n/usr/bin/curl/100/1000\t10\t20\r\n",
                        List.of("-v", "2", "--by", "pid"),
                        header + "/usr/bin/curl,100,1000,,10,20,false\r\n"),
                new Case("a last line cut short is left out",
                        "\nRefreshing:\n/usr/bin/curl/100/1000\t10\t20\n\nRefreshing:\n/usr/bin/curl/100/1000\t3",
                        List.of("-v", "2", "--by", "pid"),
                        header + "/usr/bin/curl,100,1000,,10,20,false\r\n"),
                new Case("a comma or quote in a name is quoted as RFC 4180 says",
                        "\nRefreshing:\n/tmp/a,\"b\"/9/0\t1\t1\n",
                        List.of("-v", "2", "--by", "pid"),
                        header + "\"/tmp/a,\"\"b\"\"\",9,0,,1,1,false\r\n"),
                new Case("podhogs --json: bytes, and a namespace's unknown row apart from the host's",
                        json("2026-12-05T10:00:00Z", "process", 100, "/usr/bin/curl", 0, 10, 20)
                                + json("2026-12-05T10:00:00Z", "unknown", 0, "unknown TCP", 0, 1, 1)
                                + json("2026-12-05T10:00:00Z", "unknown", 0, "unknown TCP", 4026532301L, 2, 2)
                                + json("2026-12-05T10:00:01Z", "process", 100, "/usr/bin/curl", 0, 30, 60),
                        List.of("--by", "pid"),
                        header + "/usr/bin/curl,100,0,root,30,60,false\r\nunknown TCP,0,0,root,3,3,false\r\n"),
                new Case("podhogs --json between --since and --until",
                        json("2026-12-05T10:00:00Z", "process", 100, "/usr/bin/curl", 0, 10, 20)
                                + json("2026-12-05T11:00:00Z", "process", 100, "/usr/bin/curl", 0, 30, 60)
                                + json("2026-12-05T12:00:00Z", "process", 100, "/usr/bin/curl", 0, 100, 100),
                        List.of("--since", "2026-12-05T10:30:00Z", "--until", "2026-12-05T11:30:00Z"),
                        "program,processes,sent_bytes,received_bytes,estimate\r\n/usr/bin/curl,1,20,40,false\r\n"),
                new Case("--by program sums a program's processes, --by user a user's",
                        "\nRefreshing:\n/usr/bin/curl/100/1000\t10\t20\n/usr/bin/curl/101/0\t1\t2\n/bin/ssh/7/1000\t5\t5\n",
                        List.of("-v", "2", "--by", "user"),
                        "uid,user,processes,sent_bytes,received_bytes,estimate\r\n1000,,2,15,25,false\r\n0,,1,1,2,false\r\n"));
    }

    private static String json(String time, String kind, long pid, String program, long netns, long sent, long received) {
        return "{\"time\":\"" + time + "\",\"kind\":\"" + kind + "\",\"pid\":" + pid + ",\"uid\":0,\"user\":\"root\","
                + "\"program\":\"" + program + "\",\"sent_bytes\":" + sent + ",\"received_bytes\":" + received
                + ",\"netns\":" + netns + ",\"container_id\":\"\"}\n";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void totals(Case c) throws IOException {
        Path log = dir.resolve("trace.log");
        Files.writeString(log, c.log());
        List<String> args = new ArrayList<>(List.of("report", "-o", "csv"));
        args.addAll(c.options());
        args.add(log.toString());
        Run r = run(args.toArray(String[]::new));
        assertEquals(c.csv(), r.out(), r.err());
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void aLogsRotatedPartsContinueOneRun() throws IOException {
        Path first = dir.resolve("trace.log.1");
        Path second = dir.resolve("trace.log");
        Files.writeString(first, NETHOGS_START + "\nRefreshing:\n/usr/bin/curl/100/1000\t10\t20\n");
        Files.writeString(second, "\nRefreshing:\n/usr/bin/curl/100/1000\t15\t25\n");
        Run r = run("report", "-o", "json", "-v", "2", first.toString(), second.toString());
        assertEquals("{\"program\":\"/usr/bin/curl\",\"processes\":1,\"sent_bytes\":15,\"received_bytes\":25,"
                + "\"estimate\":false}\n", r.out(), r.err());
    }

    @Test
    void theTableHasATotal() throws IOException {
        Path log = dir.resolve("trace.log");
        Files.writeString(log, "\nRefreshing:\n/usr/bin/curl/100/1000\t1000\t20\n/bin/ssh/7/1000\t5\t5\n");
        Run r = run("report", "-v", "2", log.toString());
        assertEquals("""
                PROGRAM        PROCESSES  SENT  RECEIVED
                /usr/bin/curl          1  1000        20
                /bin/ssh               1     5         5
                total                     1005        25
                """, r.out(), r.err());
    }

    @Test
    void aLineThatIsNoTraceIsOneLineNamingFileAndLine() throws IOException {
        Path log = dir.resolve("trace.log");
        Files.writeString(log, "\nRefreshing:\n/usr/bin/curl/100/1000\t10\t20\nsomething else\n\nRefreshing:\n");
        Run r = run("report", log.toString());
        assertEquals("podhogs report: " + log + ":4: not a trace log line (a row is program/pid/uid, a tab, sent, a tab,"
                + " received): something else\n", r.err());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path log = dir.resolve("trace.log");
        Files.writeString(log, "\nRefreshing:\n/usr/bin/curl/100/1000\t10\t20\n");
        assertEquals(new Run(2, "", "podhogs report: " + dir.resolve("absent") + ": no such file\n"),
                run("report", dir.resolve("absent").toString()));
        assertEquals(new Run(2, "", "podhogs report: --since and --until need times, which only podhogs --json logs"
                + " have (a text trace log has none)\n"), run("report", "--since", "2026-12-05", log.toString()));
        assertEquals(new Run(2, "", "podhogs report: --by takes program, pid or user, not 'app' (podhogs report --help"
                + " lists the options)\n"), run("report", "--by", "app", log.toString()));
        assertEquals(new Run(2, "", "podhogs report: Missing required parameter: 'LOG' (podhogs report --help lists the"
                + " options)\n"), run("report"), "a log is needed");
    }

    @Test
    void aDeviceNamedReportIsWatchedAfterDoubleDash() {
        Run r = run("-t", "-c", "1", "--", "report");
        assertEquals(new Run(2, "", "podhogs: no such device: report (ip -br link lists the devices of this host)\n"), r,
                "the monitor's own error for a device: 'report' after -- is a device, not the report");
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), HostFiles.system());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
