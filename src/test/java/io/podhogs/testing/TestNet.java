package io.podhogs.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Test hosts in network namespaces of the test's own, joined to this host by veth pairs, with
 * addresses only in ranges the tests assign (10.231.N.0/24, fd42:231:N::/64). Everything made is
 * removed by {@link #close()}. Links are made quiet (no router solicitations, no DAD, static
 * neighbours) so that nearly every frame on them is the test's own traffic.
 */
public final class TestNet implements AutoCloseable {
    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 9999));
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> links = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<String[]> undo = new ArrayList<>();
    private final Path script;
    private final java.util.Set<Integer> subnets = new java.util.HashSet<>();
    private int hosts;
    private int rules;

    public TestNet() {
        try {
            script = Files.createTempFile("podhogs-traffic", ".py");
            try (var in = TestNet.class.getResourceAsStream("/traffic/traffic.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fails the calling test unless it can create namespaces and links and run the traffic
     * endpoints (.ci/run installs what they need).
     */
    public static void requireUsable() {
        Assertions.assertTrue(Shell.isRoot(), "needs root: creates network namespaces and veth pairs, and captures on them");
        Assertions.assertTrue(Shell.onPath("ip"), "needs iproute2 (ip)");
        Assertions.assertTrue(Shell.onPath("python3"), "needs python3 for the traffic");
    }

    /** One test host: a namespace behind a routed veth pair. Addresses: host .1 / ::1, peer .2 / ::2. */
    public record Host(String ns, String hostIf, String peerIf, String hostV4, String peerV4, String hostV6,
                       String peerV6) {
    }

    /** Creates the pair with both ends down, so a capture can be opened before the first frame. */
    public Host createHost() {
        int n = 10 + hosts++;
        int subnet = freeSubnet();
        String ns = "phns" + tag + n;
        String hostIf = "phh" + tag + n;
        String peerIf = "php" + tag + n;
        Shell.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        Shell.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", peerIf);
        links.add(hostIf);
        Shell.run("ip", "link", "set", peerIf, "netns", ns);
        return new Host(ns, hostIf, peerIf, "10.231." + subnet + ".1", "10.231." + subnet + ".2",
                "fd42:231:" + subnet + "::1", "fd42:231:" + subnet + "::2");
    }

    private Host createCniHost() {
        int n = 10 + hosts++;
        String ns = "phns" + tag + n;
        String hostIf = "phh" + tag + n;
        Shell.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        Shell.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", ns);
        links.add(hostIf);
        return new Host(ns, hostIf, "eth0", null, null, null, null);
    }

    /**
     * A 10.231.N.0/24 that none of this net's hosts has and no address or route of this host is in:
     * two hosts on one subnet would each have a route to it, and a connection meant for one namespace
     * would be refused by the other (seen once in CI, when a random pick repeated).
     */
    private int freeSubnet() {
        String taken = Shell.run("ip", "-o", "-4", "addr", "show") + Shell.run("ip", "-4", "route", "show");
        for (int attempt = 0; attempt < 1000; attempt++) {
            int subnet = ThreadLocalRandom.current().nextInt(1, 250);
            if (!subnets.contains(subnet) && !taken.contains("10.231." + subnet + ".")) {
                subnets.add(subnet);
                return subnet;
            }
        }
        throw new IllegalStateException("no free 10.231.N.0/24 on this host:\n" + taken);
    }

    /**
     * Deletes {@code h}'s veth pair and makes it again under the same names, into the same
     * namespace, both ends down: the same device by name, a new one by index, as when a container
     * runtime tears a pod's network down and sets it up again.
     */
    public void recreate(Host h) {
        Shell.run("ip", "link", "del", h.hostIf());
        Shell.run("ip", "link", "add", h.hostIf(), "type", "veth", "peer", "name", h.peerIf());
        Shell.run("ip", "link", "set", h.peerIf(), "netns", h.ns());
    }

    /** A Linux bridge with the host's address on it, docker0 / cni0 style: 10.232.N.1, fd42:232:N::1. */
    public record Bridge(String name, int subnet) {
        public String v4() {
            return "10.232." + subnet + ".1";
        }
    }

    public Bridge createBridge() {
        int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        Bridge b = new Bridge("phbr" + tag + (hosts++), subnet);
        sh("ip link add " + b.name() + " type bridge");
        links.add(b.name());
        quietIpv6("", b.name());
        sh("ip addr add " + b.v4() + "/24 dev " + b.name());
        sh("ip link set " + b.name() + " up");
        // A host running Docker drops bridged and forwarded frames unless told otherwise.
        if (!Shell.runQuietly("sh", "-c", "command -v iptables").isBlank()) {
            for (String direction : List.of("-s", "-d")) {
                String[] rule = {"FORWARD", direction, "10.232." + subnet + ".0/24", "-j", "ACCEPT"};
                Shell.run(concat(new String[] {"iptables", "-I"}, rule));
                undo.add(concat(new String[] {"iptables", "-D"}, rule));
            }
        }
        return b;
    }

    /**
     * A pod: a namespace whose veth's host end is a port of {@code bridge}, address 10.232.N.(10+k),
     * default route via the bridge. The host end is up before the function returns; the capture
     * should be open before, which {@link #createHost()} plus this cannot give: bridged tests count
     * from a baseline instead.
     */
    public Host createPod(Bridge bridge, int k) {
        return createPod(bridge, k, false);
    }

    /**
     * As {@link #createPod(Bridge, int)}; with {@code asCni}, the veth's far end is made in the
     * namespace itself and named eth0, as CNI plugins make pods': every such pod's eth0 then has the
     * same index (2), so a host veth's peer index names no one namespace.
     */
    public Host createPod(Bridge bridge, int k, boolean asCni) {
        Host h = asCni ? createCniHost() : createHost();
        Host pod = new Host(h.ns(), h.hostIf(), h.peerIf(), bridge.v4(), "10.232." + bridge.subnet() + "." + (10 + k),
                "fd42:232:" + bridge.subnet() + "::1", "fd42:232:" + bridge.subnet() + "::" + (10 + k));
        quietIpv6("", pod.hostIf());
        quietIpv6(pod.ns(), pod.peerIf());
        String inNs = "ip netns exec " + pod.ns() + " ";
        sh("ip link set " + pod.hostIf() + " master " + bridge.name());
        sh(inNs + "ip link set lo up");
        sh(inNs + "ip addr add " + pod.peerV4() + "/24 dev " + pod.peerIf());
        sh(inNs + "ip -6 addr add " + pod.peerV6() + "/64 dev " + pod.peerIf() + " nodad");
        sh("ip link set " + pod.hostIf() + " up");
        sh(inNs + "ip link set " + pod.peerIf() + " up");
        sh(inNs + "ip route add default via " + bridge.v4());
        return pod;
    }

    private static void quietIpv6(String ns, String iface) {
        String[] in = ns.isEmpty() ? new String[0] : new String[] {"ip", "netns", "exec", ns};
        for (String setting : List.of("router_solicitations=0", "accept_ra=0", "dad_transmits=0", "accept_dad=0",
                "addr_gen_mode=1")) {
            Shell.run(concat(in, "sysctl", "-qw", "net.ipv6.conf." + iface + "." + setting));
        }
    }

    /**
     * Routes the bridge's pods out through {@code outside}'s veth with MASQUERADE, as a node NATs
     * pod egress: forwarding on, a NAT rule, both undone by {@link #close()}.
     */
    public void masquerade(Bridge bridge, Host outside) {
        String forward = Shell.run("cat", "/proc/sys/net/ipv4/ip_forward").trim();
        Shell.run("sysctl", "-qw", "net.ipv4.ip_forward=1");
        undo.add(new String[] {"sysctl", "-qw", "net.ipv4.ip_forward=" + forward});
        String[] rule = {"POSTROUTING", "-s", "10.232." + bridge.subnet() + ".0/24", "-o", outside.hostIf(), "-j",
                "MASQUERADE"};
        Shell.run(concat(new String[] {"iptables", "-t", "nat", "-A"}, rule));
        undo.add(concat(new String[] {"iptables", "-t", "nat", "-D"}, rule));
        for (String direction : List.of("-i", "-o")) {
            String[] accept = {"FORWARD", direction, outside.hostIf(), "-j", "ACCEPT"};
            Shell.run(concat(new String[] {"iptables", "-I"}, accept));
            undo.add(concat(new String[] {"iptables", "-D"}, accept));
        }
    }

    /** The inode of a test namespace: the identity podhogs gives it. */
    public static long netnsInode(String ns) {
        try {
            return ((Number) Files.getAttribute(Path.of("/run/netns", ns), "unix:ino")).longValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Addresses, quiet IPv6, static neighbours, then up. */
    public void bringUp(Host h) {
        quietIpv6("", h.hostIf());
        quietIpv6(h.ns(), h.peerIf());
        String inNs = "ip netns exec " + h.ns() + " ";
        sh("ip addr add " + h.hostV4() + "/24 dev " + h.hostIf());
        sh("ip -6 addr add " + h.hostV6() + "/64 dev " + h.hostIf() + " nodad");
        sh(inNs + "ip link set lo up");
        sh(inNs + "ip addr add " + h.peerV4() + "/24 dev " + h.peerIf());
        sh(inNs + "ip -6 addr add " + h.peerV6() + "/64 dev " + h.peerIf() + " nodad");
        String hostMac = mac(h.hostIf(), "");
        String peerMac = mac(h.peerIf(), h.ns());
        sh("ip neigh replace " + h.peerV4() + " lladdr " + peerMac + " dev " + h.hostIf() + " nud permanent");
        sh("ip -6 neigh replace " + h.peerV6() + " lladdr " + peerMac + " dev " + h.hostIf() + " nud permanent");
        sh(inNs + "ip neigh replace " + h.hostV4() + " lladdr " + hostMac + " dev " + h.peerIf() + " nud permanent");
        sh(inNs + "ip -6 neigh replace " + h.hostV6() + " lladdr " + hostMac + " dev " + h.peerIf() + " nud permanent");
        sh("ip link set " + h.hostIf() + " up");
        sh(inNs + "ip link set " + h.peerIf() + " up");
    }

    /**
     * A macvlan on {@code h}'s host end, which becomes its lower device: the host's address goes on
     * the macvlan, the veth itself gets none, so the host's sockets reach the namespace through the
     * macvlan and every one of their frames crosses the veth too. Returns the macvlan's name; the
     * links are up when this returns.
     */
    public String macvlanOn(Host h) {
        String upper = "phm" + h.hostIf().substring(3);
        sh("ip link add link " + h.hostIf() + " name " + upper + " type macvlan mode bridge");
        links.add(0, upper); // removed before its lower device
        quietIpv6("", h.hostIf());
        quietIpv6("", upper);
        quietIpv6(h.ns(), h.peerIf());
        String inNs = "ip netns exec " + h.ns() + " ";
        sh("ip addr add " + h.hostV4() + "/24 dev " + upper);
        sh(inNs + "ip link set lo up");
        sh(inNs + "ip addr add " + h.peerV4() + "/24 dev " + h.peerIf());
        String upperMac = mac(upper, "");
        String peerMac = mac(h.peerIf(), h.ns());
        sh("ip neigh replace " + h.peerV4() + " lladdr " + peerMac + " dev " + upper + " nud permanent");
        sh(inNs + "ip neigh replace " + h.hostV4() + " lladdr " + upperMac + " dev " + h.peerIf() + " nud permanent");
        sh("ip link set " + h.hostIf() + " up");
        sh("ip link set " + upper + " up");
        sh(inNs + "ip link set " + h.peerIf() + " up");
        return upper;
    }

    private static String mac(String iface, String ns) {
        String out = ns.isEmpty() ? Shell.run("cat", "/sys/class/net/" + iface + "/address")
                : Shell.run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + iface + "/address");
        return out.trim();
    }

    private static void sh(String command) {
        Shell.run(command.split(" "));
    }

    private static String[] concat(String[] prefix, String... rest) {
        String[] all = new String[prefix.length + rest.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(rest, 0, all, prefix.length, rest.length);
        return all;
    }

    /** A traffic endpoint (see traffic.py) in {@code ns}, or on this host when ns is null. */
    public Endpoint start(String ns, String... args) {
        return launch(new ArrayList<>(), ns, List.of(script.toString()), args);
    }

    /**
     * As {@link #start}, python3 given {@code options} before the script (e.g. {@code -X token=abc},
     * which python keeps and ignores): arguments that only its command line shows.
     */
    public Endpoint startWithOptions(String ns, List<String> options, String... args) {
        List<String> python = new ArrayList<>(options);
        python.add(script.toString());
        return launch(new ArrayList<>(), ns, python, args);
    }

    /**
     * As {@link #start}, the script given inline ({@code python3 -c SCRIPT}): the endpoint's command
     * line holds traffic.py's text, newlines and all, as sh -c and python -c command lines do.
     */
    public Endpoint startInline(String ns, String... args) {
        try {
            return launch(new ArrayList<>(), ns, List.of("-c", Files.readString(script, StandardCharsets.UTF_8)), args);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A steady stream of 1000-byte UDP datagrams from {@code ns} (null: this host) to
     * {@code address:port}, {@code perSecond} of them a second for at most {@code lifetime} (a
     * bound, should the test's JVM die before {@link #close()}); started inline ({@link #startInline})
     * and sending when this returns. {@code shown}: words the endpoint does not read, only its
     * command line shows.
     */
    public Endpoint udpStream(String ns, String address, int port, int perSecond, Duration lifetime, String... shown) {
        List<String> args = new ArrayList<>(List.of("udp-send", address, Integer.toString(port), "--size", "1000",
                "--count", Long.toString(perSecond * lifetime.toSeconds()), "--pace", Double.toString(1.0 / perSecond)));
        if (shown.length > 0) {
            args.add("--");
            args.addAll(List.of(shown));
        }
        Endpoint stream = startInline(ns, args.toArray(String[]::new));
        stream.expect("ready");
        return stream;
    }

    /**
     * As {@link #start}, in {@code cgroup} from its first instruction: the shell that becomes the
     * endpoint joins the cgroup before it execs, so no socket of it ever exists outside.
     */
    public Endpoint startIn(Path cgroup, String ns, String... args) {
        return launch(new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                cgroup.toString())), ns, List.of(script.toString()), args);
    }

    /** Starts {@code command} (a prefix), then python3 -u {@code python} (the script, and options before it) ARGS. */
    private Endpoint launch(List<String> command, String ns, List<String> python, String... args) {
        if (ns != null) {
            command.addAll(List.of("ip", "netns", "exec", ns));
        }
        command.addAll(List.of("python3", "-u"));
        command.addAll(python);
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            processes.add(p);
            return new Endpoint(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TCP transfer from this host to {@code h}'s namespace end: a sink there, {@code bytes} sent to
     * it, the connection held open 0.2 s after; returns the client, done.
     */
    public Endpoint sendToPeer(Host h, String port, long bytes) {
        start(h.ns(), "tcp-sink", h.peerV4(), port).expect("ready");
        Endpoint client = start(null, "tcp-send", h.peerV4(), port, "--bytes", Long.toString(bytes), "--hold", "0.2");
        client.expect("ready");
        client.expect("done");
        return client;
    }

    /** One more address on {@code h}'s namespace end, and this host's route to it through the pair. */
    public void addPeerAddress(Host h, String address) {
        Shell.run("ip", "netns", "exec", h.ns(), "ip", "addr", "add", address + "/32", "dev", h.peerIf());
        Shell.run("ip", "route", "add", address + "/32", "via", h.peerV4(), "dev", h.hostIf());
        // The route goes with the link; nothing to undo.
    }

    /**
     * An iptables rule that only counts (ACCEPT, first in {@code chain}) in {@code ns} (null: this
     * host, where it is removed again by {@link #close()}); returns a reader of its packets and bytes.
     */
    public java.util.function.Supplier<long[]> countRule(String ns, String chain, String... match) {
        return countRule(ns == null ? new String[0] : new String[] {"ip", "netns", "exec", ns}, ns == null, chain, match);
    }

    /**
     * As {@link #countRule(String, String, String...)}, in the network namespace of process
     * {@code pid} (a container's): the rule goes with the namespace.
     */
    public java.util.function.Supplier<long[]> countRuleOf(long pid, String chain, String... match) {
        return countRule(new String[] {"nsenter", "-t", Long.toString(pid), "-n"}, false, chain, match);
    }

    private java.util.function.Supplier<long[]> countRule(String[] in, boolean undone, String chain, String... match) {
        String label = "podhogs-test-" + this.tag + "-" + (rules++);
        String[] rule = concat(concat(new String[] {chain}, match), "-m", "comment", "--comment", label, "-j", "ACCEPT");
        Shell.run(concat(concat(in, "iptables", "-w", "-I"), rule));
        if (undone) {
            undo.add(concat(concat(in, "iptables", "-w", "-D"), rule));
        }
        return () -> {
            String listing = Shell.run(concat(in, "iptables", "-w", "-S", chain, "-v"));
            for (String line : listing.split("\n")) {
                // "-A OUTPUT -d 10.1.2.3/32 -m comment --comment tag -c 12 3456 -j ACCEPT"
                int c = line.indexOf(" -c ");
                if (line.contains(" " + label + " ") && c > 0) {
                    String[] counts = line.substring(c + 4).trim().split(" ");
                    return new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1])};
                }
            }
            throw new IllegalStateException("no rule " + label + " in " + listing);
        };
    }

    /** A running endpoint; {@code pid()} is the pid podhogs must name ('ip netns exec' execs). */
    public record Endpoint(Process process, BufferedReader out) {
        public long pid() {
            return process.pid();
        }

        /** Waits for the next line the endpoint prints ("ready", "done", "child PID"). */
        public String expect(String prefix) {
            try {
                String line = out.readLine();
                if (line == null || !line.startsWith(prefix)) {
                    throw new IllegalStateException("expected '" + prefix + "', got " + line);
                }
                return line;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public void awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("endpoint " + pid() + " still running");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (String link : links) {
            Shell.runQuietly("ip", "link", "del", link);
        }
        for (String[] command : undo) {
            Shell.runQuietly(command);
        }
        for (String ns : namespaces) {
            Shell.runQuietly("ip", "netns", "del", ns);
        }
        try {
            Files.deleteIfExists(script);
        } catch (IOException e) {
            // a temp file left behind harms nobody
        }
    }
}
