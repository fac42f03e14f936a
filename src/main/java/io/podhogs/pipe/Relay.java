package io.podhogs.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bwmon's Pipe: a TCP relay that counts what it relays. Each connection accepted on the listening
 * address is joined to a new connection to the upstream host and port, and the bytes each way are
 * counted as they are written: up (client to upstream) and down (upstream to client). Its sockets
 * are a process's like any other, so a monitor shows the relayed bytes once, as this process's row.
 * Two threads a connection (blocking sockets); at most {@code maxConnections} at once, more are
 * refused (closed at once) and counted.
 */
public final class Relay implements AutoCloseable {
    /** What a connection relayed, told when it ends. */
    public record Connection(String client, long up, long down, Duration lasted, String problem) {
    }

    /** Told of each connection's end, on its thread. */
    @FunctionalInterface
    public interface Listener {
        void ended(Connection c);
    }

    /** The relay's sums so far. */
    public record Totals(long connections, long refused, long failed, long up, long down) {
    }

    private static final int BUFFER = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final int maxConnections;
    private final Listener listener;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private Relay(ServerSocket server, String upstreamHost, int upstreamPort, int maxConnections, Listener listener) {
        this.server = server;
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.maxConnections = maxConnections;
        this.listener = listener;
        this.acceptor = new Thread(this::accept, "podhogs-pipe-accept");
    }

    /**
     * Listens on {@code listen} and relays each connection to {@code upstreamHost:upstreamPort}
     * (resolved for each connection, as a name's addresses may change).
     *
     * @throws IOException when it cannot listen there (the port is taken, the address is not this host's)
     */
    public static Relay start(InetSocketAddress listen, String upstreamHost, int upstreamPort, int maxConnections,
                              Listener listener) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(listen, 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Relay relay = new Relay(server, upstreamHost, upstreamPort, maxConnections, listener);
        relay.acceptor.start();
        return relay;
    }

    /** The port it listens on (the one given, or the one chosen for 0). */
    public int port() {
        return server.getLocalPort();
    }

    public Totals totals() {
        return new Totals(connections.get(), refused.get(), failed.get(), up.get(), down.get());
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (active.incrementAndGet() > maxConnections) {
                active.decrementAndGet();
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            Thread t = new Thread(() -> relay(client), "podhogs-pipe-" + client.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    /** One connection, from its accept to its end: the down direction on this thread, up on another. */
    private void relay(Socket client) {
        long started = System.nanoTime();
        String from = client.getInetAddress().getHostAddress() + ":" + client.getPort();
        AtomicLong upBytes = new AtomicLong();
        AtomicLong downBytes = new AtomicLong();
        String problem = "";
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), CONNECT_TIMEOUT_MILLIS);
            connections.incrementAndGet();
            Thread upward = new Thread(() -> copy(client, upstream, upBytes, up), "podhogs-pipe-up-" + client.getPort());
            upward.setDaemon(true);
            upward.start();
            copy(upstream, client, downBytes, down);
            upward.join();
        } catch (IOException e) {
            failed.incrementAndGet();
            problem = upstreamHost + ":" + upstreamPort + " cannot be reached: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
            active.decrementAndGet();
        }
        listener.ended(new Connection(from, upBytes.get(), downBytes.get(), Duration.ofNanos(System.nanoTime() - started),
                problem));
    }

    /**
     * Copies until the source's end, counting what was written, then ends the destination's
     * sending half (the other side learns of the end and may still answer).
     */
    private static void copy(Socket from, Socket to, AtomicLong counted, AtomicLong total) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                counted.addAndGet(n);
                total.addAndGet(n);
            }
            to.shutdownOutput();
        } catch (SocketException e) {
            // a reset or a close from either side ends this direction; the other ends with it
            closeQuietly(from);
            closeQuietly(to);
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing: nothing more to be done with it
        }
    }

    /** Stops accepting and ends the open connections. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        open.forEach(Relay::closeQuietly);
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
