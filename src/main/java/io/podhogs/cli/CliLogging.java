package io.podhogs.cli;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * The command line's log, set up as application.properties sets up the agent's (which Quarkus
 * reads when it boots, and the command line does not boot it): one line a message on stderr,
 * {@code podhogs: LEVEL message}; podhogs's own from INFO, the libraries' from WARN; fabric8's
 * informers' retries (said by podhogs itself) not at all.
 */
final class CliLogging {
    static final String FORMAT = "podhogs: %-5p %s%n";

    private CliLogging() {
    }

    static void configure() {
        LogContext context = LogContext.getLogContext();
        Logger root = context.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR, new PatternFormatter(FORMAT));
        console.setLevel(Level.ALL);
        root.addHandler(console);
        root.setLevel(org.jboss.logmanager.Level.WARN);
        context.getLogger("io.podhogs").setLevel(org.jboss.logmanager.Level.INFO);
        context.getLogger("io.fabric8.kubernetes.client.informers").setLevel(Level.OFF);
    }
}
