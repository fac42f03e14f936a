package io.podhogs.plugin;

import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * kubectl-podhogs: a kubectl plugin (kubectl runs kubectl-podhogs from the PATH as "kubectl podhogs").
 * A plain main, not a Quarkus application: it starts no server and reads no application.properties;
 * it only uses fabric8's client from the same class path as the agent.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // The libraries' own log lines (fabric8, Vert.x) are not this command's output: its errors are
        // its own one-line messages.
        Logger.getLogger("").setLevel(Level.OFF);
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, false);
        int code = run(args, out, err, Cluster.Environment.ofProcess(), System.console() != null);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command as typed; its exit status (ExitCodes). */
    static int run(String[] args, PrintWriter out, PrintWriter err, Cluster.Environment env, boolean terminal) {
        CommandLine cli = new CommandLine(new PodhogsCommand(out, err, env, terminal));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            err.println("See 'kubectl podhogs --help' for usage.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof PluginException pe) {
                err.println("error: " + pe.getMessage());
                if (pe.exitCode() == ExitCodes.USAGE) {
                    err.println("See 'kubectl podhogs --help' for usage.");
                }
                err.flush();
                return pe.exitCode();
            }
            // Not expected: still one line, with what it was, never a stack trace.
            err.println("error: " + e.getClass().getSimpleName() + ": " + Cluster.oneLine(Cluster.rootMessage(e)));
            err.flush();
            return ExitCodes.ERROR;
        });
        return cli.execute(args);
    }
}
