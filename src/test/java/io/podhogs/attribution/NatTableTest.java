package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.host.HostFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conntrack lines as the kernel prints them, and what the host's side of a device makes of them. */
class NatTableTest {
    @TempDir
    Path root;

    private static FlowKey flow(String local, int localPort, String remote, int remotePort) {
        long[] l = Addresses.parse(local);
        long[] r = Addresses.parse(remote);
        return new FlowKey(5, ParsedPacket.TCP, l[0], l[1], localPort, r[0], r[1], remotePort, 0);
    }

    @Test
    void sourceAndDestinationNatAreRecognisedByTheConnectionNotTheAddress() throws Exception {
        Path net = root.resolve("proc/self/net");
        Files.createDirectories(net);
        Files.writeString(net.resolve("nf_conntrack"), String.join("\n",
                // MASQUERADE: pod 10.244.1.5:41000 -> 93.184.216.34:443, leaving as node 192.168.1.10:41000
                "ipv4     2 tcp      6 431999 ESTABLISHED src=10.244.1.5 dst=93.184.216.34 sport=41000 dport=443"
                        + " src=93.184.216.34 dst=192.168.1.10 sport=443 dport=41000 [ASSURED] mark=0 zone=0 use=2",
                // DNAT: a NodePort, client 203.0.113.7 -> node 192.168.1.10:30080, to pod 10.244.1.9:8080
                "ipv4     2 tcp      6 86399 ESTABLISHED src=203.0.113.7 dst=192.168.1.10 sport=55000 dport=30080"
                        + " src=10.244.1.9 dst=203.0.113.7 sport=8080 dport=55000 [ASSURED] mark=0 zone=0 use=2",
                // No NAT: the node's own connection
                "ipv4     2 tcp      6 300 ESTABLISHED src=192.168.1.10 dst=192.168.1.1 sport=50000 dport=22"
                        + " src=192.168.1.1 dst=192.168.1.10 sport=22 dport=50000 [ASSURED] mark=0 zone=0 use=2",
                "ipv4     2 unknown  2 576 src=10.0.0.1 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=10.0.0.1 mark=0 use=2",
                "not a conntrack line", ""));
        NatTable nat = NatTable.read(new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc")), net);

        assertTrue(nat.translated(flow("192.168.1.10", 41000, "93.184.216.34", 443)), "egress seen on the uplink");
        assertTrue(nat.translated(flow("192.168.1.10", 30080, "203.0.113.7", 55000)), "NodePort seen on the uplink");
        assertFalse(nat.translated(flow("192.168.1.10", 50000, "192.168.1.1", 22)), "the node's own ssh");
        assertEquals(2, nat.size());
    }

    @Test
    void aFloodedTableKeepsAtMostItsBoundAndCountsTheRest() throws Exception {
        Path net = root.resolve("proc/self/net");
        Files.createDirectories(net);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 50; i++) { // 50 masqueraded connections, and 50 untranslated ones between them
            lines.append("ipv4     2 udp      17 29 src=10.244.1.5 dst=8.8.8.8 sport=").append(40000 + i)
                    .append(" dport=53 src=8.8.8.8 dst=192.168.1.10 sport=53 dport=").append(40000 + i)
                    .append(" mark=0 zone=0 use=2\n");
            lines.append("ipv4     2 udp      17 29 src=192.168.1.10 dst=8.8.8.8 sport=").append(50000 + i)
                    .append(" dport=53 [UNREPLIED] src=8.8.8.8 dst=192.168.1.10 sport=53 dport=").append(50000 + i)
                    .append(" mark=0 zone=0 use=2\n");
        }
        Files.writeString(net.resolve("nf_conntrack"), lines);
        HostFiles host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));

        NatTable bounded = NatTable.read(host, net, 20);
        assertEquals(20, bounded.size(), "the bound holds");
        assertEquals(30, bounded.dropped(), "and what it left out is counted");
        NatTable whole = NatTable.read(host, net);
        assertEquals(50, whole.size());
        assertEquals(0, whole.dropped());
    }
}
