package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import io.podhogs.testing.Draws;
import io.podhogs.testing.Fuzz;
import io.podhogs.testing.TextGen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers of /proc text in attribution, under the real samples (src/test/resources/proc) mutated
 * and garbage: a line they cannot read is skipped, never thrown, what they read is within its
 * domain, nothing is looked up in DNS, and the samples as they are read as they should.
 */
class ProcFilesFuzzTest {
    @TempDir
    Path root;

    private static final List<String> SOCKET_SAMPLES = List.of("net-tcp", "net-tcp6", "net-udp", "net-udp6");
    /** What the JDK parses without a name lookup: dotted quads and anything with a ':'. */
    private static final Pattern LITERAL = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)|[0-9a-fA-F.:]*:[0-9a-fA-F.:]*");

    record Lines(int protocol, List<String> lines) {
        @Override
        public String toString() {
            return "protocol " + protocol + ": " + lines.stream().map(l -> "\n    \"" + l.replace("\0", "\\0") + "\"").toList();
        }
    }

    @Test
    void socketTableLinesAreReadInTheirDomainOrSkipped() {
        Fuzz.forAll("socket lines read in their domain or skipped", 1500, d -> new Lines(
                d.pickInt(ParsedPacket.TCP, ParsedPacket.UDP), TextGen.lines(d, d.pick(SOCKET_SAMPLES))), in -> {
            for (String line : in.lines()) {
                SocketEntry e = ProcNetParser.parseLine(in.protocol(), line);
                if (e == null) {
                    continue;
                }
                assertTrue(e.localPort() >= 0 && e.localPort() <= 65535 && e.remotePort() >= 0 && e.remotePort() <= 65535,
                        () -> "ports of " + e);
                assertTrue(e.state() >= 0 && e.state() <= 0xff, () -> "state of " + e);
                assertTrue(e.inode() >= 0, () -> "inode of " + e);
            }
        });
    }

    @Test
    void theSocketSamplesAreReadWhole() {
        assertEquals(List.of(
                "6 0.0.0.0:2024 > 0.0.0.0:0 st 10 uid 0 inode 241",
                "6 127.0.0.1:8080 > 127.0.0.1:42178 st 1 uid 1000 inode 5512345",
                "6 10.231.180.1:39944 > 10.231.180.2:5752 st 6 uid 0 inode 0",
                "6 :::22 > :::0 st 10 uid 0 inode 23456",
                "6 127.0.0.1:8080 > 127.0.0.1:42180 st 1 uid 1000 inode 5512399",
                "6 fd77:0:0:0:0:0:0:1:40001 > fd77:0:0:0:0:0:0:2:7001 st 1 uid 0 inode 5519876"),
                SOCKET_SAMPLES.subList(0, 2).stream().flatMap(s -> ProcNetParser.parse(ParsedPacket.TCP, TextGen.sample(s))
                        .stream()).map(ProcFilesFuzzTest::describe).toList());
    }

    private static String describe(SocketEntry e) {
        String local = Addresses.format(e.localHi(), e.localLo());
        String remote = Addresses.format(e.remoteHi(), e.remoteLo());
        return e.protocol() + " " + (local.equals("0:0:0:0:0:0:0:0") ? "::" : local) + ":" + e.localPort() + " > "
                + (remote.equals("0:0:0:0:0:0:0:0") ? "::" : remote) + ":" + e.remotePort() + " st " + e.state()
                + " uid " + e.uid() + " inode " + e.inode();
    }

    @Test
    void aSocketTableReadFromAnyFilesAnswersLookups() {
        Fuzz.forAll("a socket table read from any files answers lookups", 100, d -> {
            List<List<String>> files = SOCKET_SAMPLES.stream().map(s -> TextGen.lines(d, s)).toList();
            FlowKey probe = new FlowKey(d.below(8), d.pickInt(ParsedPacket.TCP, ParsedPacket.UDP, 1), 0,
                    Addresses.v4Lo(0x7f00_0001), d.pickInt(8080, 2024, 0, 65535), d.bool() ? 0 : 0xfd77_0000_0000_0000L,
                    d.int64(), d.below(1 << 16), d.below(8));
            return new Object[] {files, probe};
        }, in -> {
            @SuppressWarnings("unchecked")
            List<List<String>> files = (List<List<String>>) in[0];
            Path net = Files.createDirectories(root.resolve("proc/1/net"));
            List<String> names = List.of("tcp", "tcp6", "udp", "udp6");
            for (int i = 0; i < names.size(); i++) {
                Files.write(net.resolve(names.get(i)), files.get(i), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            SocketTable table = SocketTable.read(host(), net);
            FlowKey probe = (FlowKey) in[1];
            table.find(probe, true);
            table.listener(probe);
            table.kernelTunnel(probe);
            assertTrue(table.size() >= 0);
        });
    }

    private HostFiles host() {
        return new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
    }

    @Test
    void conntrackLinesAreReadInTheirDomainWithoutNameLookups() {
        Fuzz.forAll("conntrack lines read in their domain, no name looked up", 1500,
                d -> new Lines(0, TextGen.lines(d, "nf_conntrack")), in -> {
                    for (String line : in.lines()) {
                        Set<Object> into = new HashSet<>();
                        parseConntrack(line, into);
                        Set<String> literals = new HashSet<>();
                        for (String field : line.trim().split("\\s+")) {
                            int eq = field.indexOf('=');
                            String value = eq < 0 ? "" : field.substring(eq + 1);
                            if (LITERAL.matcher(value).matches()) {
                                try {
                                    long[] a = Addresses.parse(value);
                                    literals.add(Addresses.format(a[0], a[1]));
                                } catch (IllegalArgumentException e) {
                                    // not an address after all
                                }
                            }
                        }
                        for (Object c : into) {
                            String s = c.toString(); // Conversation[protocol=6, localHi=0, localLo=..., localPort=...]
                            int localPort = field(s, "localPort");
                            int remotePort = field(s, "remotePort");
                            assertTrue(localPort >= 0 && localPort <= 65535 && remotePort >= 0 && remotePort <= 65535,
                                    () -> "ports of " + s + " from " + line);
                            String local = Addresses.format(longField(s, "localHi"), longField(s, "localLo"));
                            String remote = Addresses.format(longField(s, "remoteHi"), longField(s, "remoteLo"));
                            assertTrue(literals.contains(local) && literals.contains(remote),
                                    () -> local + " and " + remote + " are literals of the line: " + line);
                        }
                    }
                });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void parseConntrack(String line, Set<Object> into) {
        NatTable.parse(line, (Set) into);
    }

    private static int field(String record, String name) {
        return (int) longField(record, name);
    }

    private static long longField(String record, String name) {
        java.util.regex.Matcher m = Pattern.compile(name + "=(-?\\d+)").matcher(record);
        assertTrue(m.find(), record);
        return Long.parseLong(m.group(1));
    }

    @Test
    void theConntrackSampleIsReadWhole() {
        Set<Object> into = new HashSet<>();
        TextGen.sample("nf_conntrack").forEach(line -> parseConntrack(line, into));
        // SNAT, DNAT, and the UDP DNS lookup DNATed to a pod: one conversation each; the IPv6 SNAT
        // one more; no NAT, ICMP and the unknown protocol none.
        assertEquals(4, into.size(), into::toString);
    }

    @Test
    void localAddressesAreReadFromAnyFibTrieAndIfInet6() {
        Fuzz.forAll("local addresses read from any fib_trie and if_inet6", 1500,
                d -> List.of(TextGen.lines(d, "fib_trie"), TextGen.lines(d, "if_inet6")),
                in -> HostAddresses.parse(in.get(0), in.get(1)).contains(0, 0));
        HostAddresses sample = HostAddresses.parse(TextGen.sample("fib_trie"), TextGen.sample("if_inet6"));
        for (String a : List.of("10.231.180.1", "127.0.0.1", "::1", "fe80::3095:c9ff:fee9:5635", "fd77::1")) {
            long[] x = Addresses.parse(a);
            assertTrue(sample.contains(x[0], x[1]), a);
        }
        long[] broadcast = Addresses.parse("10.231.180.255");
        assertFalse(sample.contains(broadcast[0], broadcast[1]), "a broadcast route is not a local address");
        long[] network = Addresses.parse("127.0.0.0");
        assertFalse(sample.contains(network[0], network[1]), "nor is a /8 route");
    }

    @Test
    void namespaceLinksAndInterfaceIndexesAreReadInTheirDomain() {
        Fuzz.forAll("namespace inodes and interface indexes in their domain", 1500, d -> List.of(
                List.of(d.pick("net:[4026531840]", TextGen.mutate(d, "net:[4026531840]"), TextGen.token(d))),
                TextGen.lines(d, "dev_mcast"), TextGen.lines(d, "if_inet6"), TextGen.lines(d, "igmp")), in -> {
                    long inode = NetnsRegistry.netnsInode(in.get(0).get(0));
                    assertTrue(inode == -1 || inode > 0, "inode " + inode);
                    for (int index : NetnsRegistry.interfaceIndexes(in.get(1), in.get(2), in.get(3))) {
                        assertTrue(index > 0, "interface index " + index);
                    }
                });
        assertEquals(4026531840L, NetnsRegistry.netnsInode("net:[4026531840]"));
        assertEquals(Set.of(1, 2, 4, 0x12aa), NetnsRegistry.interfaceIndexes(TextGen.sample("dev_mcast"),
                TextGen.sample("if_inet6"), TextGen.sample("igmp")));
    }

    record ProcessFiles(String stat, List<String> status, String comm, String cmdline, List<String> cgroup) {
        @Override
        public String toString() {
            return "stat \"" + stat + "\" status " + status + " comm \"" + comm + "\" cmdline \""
                    + cmdline.replace("\0", "\\0") + "\" cgroup " + cgroup;
        }
    }

    private static ProcessFiles processFiles(Draws d) {
        return new ProcessFiles(TextGen.whole(d, d.pick("stat", "stat-odd-name")), TextGen.lines(d, "status"),
                d.pick("nginx\n", TextGen.token(d)), TextGen.whole(d, "cmdline"),
                TextGen.lines(d, d.pick("cgroup-v1", "cgroup-v2", "cgroup-nested")));
    }

    @Test
    void aProcessIsReadInItsDomainFromAnyFiles() {
        Fuzz.forAll("a process is read in its domain from any files", 1500, ProcFilesFuzzTest::processFiles, f -> {
            Optional<ProcessInfo> p = ProcessReader.parse(4242, f.stat(), f.status(), f.comm(), f.cmdline(), f.cgroup());
            p.ifPresent(info -> {
                assertEquals(4242, info.pid());
                assertTrue(info.startTime() >= 0, "start time");
                assertTrue(info.uid() >= -1, "uid");
                // Other control characters stay: JSON keeps argv as it is, RowFormat makes it printable.
                for (String text : List.of(info.program(), info.commandLine(), info.comm())) {
                    assertFalse(text.contains("\0"), () -> "NULs in " + text);
                }
            });
        });
        ProcessInfo nginx = ProcessReader.parse(4242, TextGen.text("stat-odd-name"), TextGen.sample("status"), "nginx\n",
                TextGen.text("cmdline"), TextGen.sample("cgroup-v2")).orElseThrow();
        assertEquals(List.of(991234L, 101, "nginx: worker process", "nginx: worker process --db-password=secret", "nginx",
                "containerd"), List.of(nginx.startTime(), nginx.uid(), nginx.program(), nginx.commandLine(), nginx.comm(),
                nginx.cgroup().runtime()));
    }
}
