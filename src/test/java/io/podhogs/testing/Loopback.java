package io.podhogs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the agent tests that record a history over {@code lo} share. */
public final class Loopback {
    private Loopback() {
    }

    /** {@code bytes} from this JVM to itself over TCP on loopback, each chunk read before the next. */
    public static void send(int bytes) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            InputStream in = accepted.getInputStream();
            byte[] chunk = new byte[65536];
            for (int sent = 0; sent < bytes; ) {
                int n = Math.min(chunk.length, bytes - sent);
                out.write(chunk, 0, n);
                sent += n;
                for (int read = 0; read < n; ) {
                    read += in.read(chunk, 0, n - read);
                }
            }
        }
    }

    /**
     * A history file's path, one per JVM and {@code name}: Quarkus loads a test class (and its
     * static fields) twice, once in its own class loader, and both must name the same file.
     */
    public static Path historyFile(String name) {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), name + "-" + ProcessHandle.current().pid());
            Files.createDirectories(dir);
            return dir.resolve("history.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
