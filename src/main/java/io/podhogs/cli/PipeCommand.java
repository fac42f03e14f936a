package io.podhogs.cli;

import io.podhogs.pipe.Relay;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podhogs pipe [LOCAL_PORT] HOST PORT}: bwmon's accounting relay ({@link Relay}), each
 * connection's bytes each way printed when it ends and the sums when the pipe stops.
 */
@Command(name = "podhogs pipe", sortOptions = false,
        description = {
            "Relays TCP connections made to LOCAL_PORT (default: PORT) on to HOST:PORT, as",
            "bwmon's pipe does, and counts what it relays: a line per connection when it ends",
            "(up: client to HOST, down: back), the sums when the pipe stops (Ctrl-C, SIGTERM).",
            "A monitor shows the relayed bytes once, as this process's row (an application",
            "rule can name it by its command line: match: 'run\\.jar pipe ').",
            ""},
        footer = {"", "Exit status: 0 stopped, 2 bad usage or the port cannot be listened on."})
final class PipeCommand implements Callable<Integer> {
    @Parameters(arity = "2..3", paramLabel = "[LOCAL_PORT] HOST PORT", description = "Where to listen (a port of"
            + " --bind's address) and where to relay to.")
    List<String> arguments;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on: 0.0.0.0 or :: opens the pipe to the network."
                    + " Default: ${DEFAULT-VALUE} (this host only).")
    String bind;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "100",
            description = "Connections relayed at once; more are refused and counted. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    PipeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        int localPort;
        String host;
        int port;
        InetAddress address;
        try {
            int i = arguments.size() == 3 ? 1 : 0;
            host = arguments.get(i);
            port = port(arguments.get(i + 1), "PORT", 1);
            localPort = arguments.size() == 3 ? port(arguments.get(0), "LOCAL_PORT", 0) : port;
            if (maxConnections < 1) {
                throw new IllegalArgumentException("--max-connections must be 1 or more, not " + maxConnections);
            }
            address = InetAddress.getByName(bind);
        } catch (IllegalArgumentException e) {
            return Cli.usageError(err, "podhogs pipe", e.getMessage());
        } catch (UnknownHostException e) {
            return Cli.usageError(err, "podhogs pipe", "--bind " + bind + " is no address of this host");
        }
        Relay relay;
        try {
            relay = Relay.start(new InetSocketAddress(address, localPort), host, port, maxConnections, c -> out.println(
                    c.problem().isEmpty()
                            ? String.format(Locale.ROOT, "pipe: %s closed after %.1f s: up %d bytes, down %d bytes",
                                    c.client(), c.lasted().toMillis() / 1000.0, c.up(), c.down())
                            : "pipe: " + c.client() + ": " + c.problem()));
        } catch (IOException e) {
            err.println("podhogs pipe: cannot listen on " + bind + ":" + localPort + ": " + e.getMessage()
                    + " (give another LOCAL_PORT, or stop what holds it)");
            return Cli.EXIT_USAGE;
        }
        out.println("pipe: relaying " + bind + ":" + relay.port() + " to " + host + ":" + port);
        // Ctrl-C and SIGTERM stop the pipe as a request: the sums printed, exit status 0. A second
        // signal gets the JVM's default, should the stop hang.
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"INT", "TERM"}) {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            sun.misc.Signal.handle(signal, s -> {
                sun.misc.Signal.handle(signal, sun.misc.SignalHandler.SIG_DFL);
                stop.countDown();
            });
        }
        stop.await();
        relay.close();
        Relay.Totals t = relay.totals();
        out.println("pipe: stopped: " + t.connections() + " connections relayed (" + t.refused() + " refused, "
                + t.failed() + " failed to reach " + host + ":" + port + "): up " + t.up() + " bytes, down " + t.down()
                + " bytes");
        out.flush();
        return Cli.EXIT_OK;
    }

    private static int port(String text, String name, int least) {
        try {
            int p = Integer.parseInt(text);
            if (p >= least && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " is a port number, " + least + " to 65535, not '" + text + "'");
    }
}
