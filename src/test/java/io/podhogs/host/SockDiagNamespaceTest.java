package io.podhogs.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.Addresses;
import io.podhogs.testing.Await;
import io.podhogs.testing.TestNet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket of another network namespace, asked for by its four-tuple through a netlink socket
 * opened in that namespace: a real namespace, a real connection from the host into it.
 */
class SockDiagNamespaceTest {
    private final TestNet net = new TestNet();

    @AfterEach
    void tearDown() {
        net.close();
    }

    @Test
    void aPodsAcceptedConnectionIsFoundInItsNamespaceAndOnlyThere() throws IOException {
        TestNet.Host h = net.createHost();
        net.bringUp(h);
        TestNet.Endpoint sink = net.start(h.ns(), "tcp-sink", h.peerV4(), "5601");
        sink.expect("ready");
        long netns = TestNet.netnsInode(h.ns());
        Path nsFile = Path.of("/proc/" + sink.pid() + "/ns/net");
        try (Socket client = new Socket(InetAddress.getByName(h.peerV4()), 5601);
             SockDiag inPod = SockDiag.openIn(nsFile, netns).orElseThrow();
             SockDiag onHost = SockDiag.open().orElseThrow()) {
            long[] peer = Addresses.parse(h.peerV4());
            long[] hostEnd = Addresses.parse(h.hostV4());
            int port = client.getLocalPort();
            // Accepted by the sink a moment after the handshake: only then does its socket have an inode.
            SockDiag.Found found = Await.until(Duration.ofSeconds(5), Duration.ofMillis(20),
                    () -> inPod.findTcp(peer[0], peer[1], 5601, hostEnd[0], hostEnd[1], port),
                    f -> f.isPresent() && f.get().inode() != 0, f -> "the sink's accepted socket: " + f).orElseThrow();
            assertEquals(1, found.state(), "ESTABLISHED");
            assertTrue(socketInodes(sink.pid()).contains(found.inode()), "the inode is one of the sink's fds");
            assertEquals(Optional.empty(), onHost.findTcp(peer[0], peer[1], 5601, hostEnd[0], hostEnd[1], port),
                    "the host's namespace has no such socket");
            assertTrue(onHost.findTcp(hostEnd[0], hostEnd[1], port, peer[0], peer[1], 5601).isPresent(),
                    "the host has the client's end");
        }
    }

    @Test
    void aFileOfAnotherNamespaceThanTheOneWantedOpensNothing() {
        TestNet.Host h = net.createHost();
        net.bringUp(h);
        // As when the PID behind the file was taken by a process of another namespace.
        assertEquals(Optional.empty(), SockDiag.openIn(Path.of("/run/netns", h.ns()), TestNet.netnsInode(h.ns()) + 1));
        assertTrue(SockDiag.openIn(Path.of("/run/netns", h.ns()), TestNet.netnsInode(h.ns())).isPresent(),
                "the namespace it holds");
        assertEquals(Optional.empty(), SockDiag.openIn(Path.of("/proc/0/ns/net"), 1), "no such file");
    }

    private static Set<Long> socketInodes(long pid) throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                String link = Files.readSymbolicLink(fd).toString();
                if (link.startsWith("socket:[")) {
                    inodes.add(Long.parseLong(link.substring(8, link.length() - 1)));
                }
            }
        }
        return inodes;
    }
}
