package io.podhogs.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Exact lookups against the kernel's own sockets: this JVM's, over loopback, IPv4 and IPv6. */
class SockDiagTest {

    @Test
    void findsBothEndsOfAnIpv4ConnectionWithTheirInodes() throws IOException {
        connectAndLookUp("127.0.0.1");
    }

    @Test
    void findsBothEndsOfAnIpv6Connection() throws IOException {
        connectAndLookUp("::1");
    }

    private static void connectAndLookUp(String address) throws IOException {
        InetAddress loopback = InetAddress.getByName(address);
        try (ServerSocket server = new ServerSocket(0, 10, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept();
             SockDiag diag = SockDiag.open().orElseThrow()) {
            long[] a = Addresses.parse(address);
            Optional<SockDiag.Found> clientEnd = diag.findTcp(a[0], a[1], client.getLocalPort(), a[0], a[1],
                    server.getLocalPort());
            Optional<SockDiag.Found> serverEnd = diag.findTcp(a[0], a[1], server.getLocalPort(), a[0], a[1],
                    client.getLocalPort());
            assertTrue(clientEnd.isPresent() && serverEnd.isPresent(), "both ends found");
            assertEquals(1, clientEnd.get().state(), "ESTABLISHED");
            assertEquals(1, serverEnd.get().state(), "ESTABLISHED");
            Set<Long> ours = ownSocketInodes();
            assertTrue(ours.contains(clientEnd.get().inode()), "the client's inode is one of this JVM's fds");
            assertTrue(ours.contains(serverEnd.get().inode()), "the accepted socket's inode is one of this JVM's fds");
            assertTrue(clientEnd.get().inode() != serverEnd.get().inode());

            Optional<SockDiag.Found> nothing = diag.findTcp(a[0], a[1], 1, a[0], a[1], 2);
            assertTrue(nothing.isEmpty(), "nothing on port 1: " + nothing);
        }
    }

    @Test
    void aConnectionNobodyMadeToAListeningPortFindsTheListener() throws IOException {
        try (ServerSocket server = new ServerSocket();
             SockDiag diag = SockDiag.open().orElseThrow()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            long[] a = Addresses.parse("127.0.0.1");
            Optional<SockDiag.Found> found = diag.findTcp(a[0], a[1], server.getLocalPort(), a[0], a[1], 40000);
            assertEquals(SockDiag.TCP_LISTEN, found.orElseThrow().state(), "the kernel's fallback: the listener");
            Optional<SockDiag.Found> noRemote = diag.findTcp(a[0], a[1], server.getLocalPort(), 0,
                    Addresses.V4_MAPPED_LO_PREFIX, 0);
            assertEquals(found, noRemote, "asked with no remote end at all: the same listener");
            assertTrue(ownSocketInodes().contains(found.get().inode()), "the listener's inode is this JVM's");
        }
    }

    private static Set<Long> ownSocketInodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(link.substring(8, link.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }
}
