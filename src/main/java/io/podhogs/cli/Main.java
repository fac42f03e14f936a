package io.podhogs.cli;

import java.util.function.BiConsumer;
import io.podhogs.agent.Agent;
import io.podhogs.host.HostFiles;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * Entry point: {@code podhogs agent} runs the node agent (HTTP: metrics and health on the node's
 * addresses, the API on 127.0.0.1) until
 * SIGTERM; anything else is the command line, which opens no port.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    static final String AGENT = "agent";

    @Inject
    Agent agent;

    public static void main(String... args) {
        if (args.length == 0 || !args[0].equals(AGENT)) {
            // Decided before Quarkus starts: the HTTP servers (the API's and the management interface
            // of /metrics and health) listen in agent mode only.
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.management.host-enabled", "false");
        }
        // Whatever ends the process otherwise (System.exit in a jar, a test launcher's own record)
        // still does; a failure to start is first said in one line, as a bad option is.
        BiConsumer<Integer, Throwable> otherwise = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        Quarkus.run(Main.class, (status, failure) -> {
            if (failure != null && LaunchMode.current() == LaunchMode.NORMAL) {
                // A setting Quarkus could not read is the caller's to fix (2); anything else is
                // podhogs's own fault (1). One line either way.
                boolean ours = !badSetting(failure);
                System.err.println((ours ? "podhogs: internal error: " : "podhogs: cannot start: ") + rootMessage(failure));
                otherwise.accept(ours ? Cli.EXIT_INTERNAL : Cli.EXIT_USAGE, null);
                return;
            }
            otherwise.accept(status, failure);
        }, args);
    }

    private static boolean badSetting(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String type = c.getClass().getName();
            if (type.endsWith("ConfigValidationException") || type.endsWith("ConfigurationException")
                    || String.valueOf(c.getMessage()).startsWith("Configuration validation failed")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    @Override
    public int run(String... args) {
        if (args.length > 0 && args[0].equals(AGENT)) {
            return agent.runUntilStopped(System.err);
        }
        return Cli.execute(args, System.out, System.err, HostFiles.system());
    }
}
