package io.podhogs.cli;

import io.podhogs.host.HostFiles;
import java.io.PrintStream;
import picocli.CommandLine;

/** Runs the command line and maps every failure to one line on stderr and an exit code. */
public final class Cli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_USAGE = 2;

    private Cli() {
    }

    public static int execute(String[] args, PrintStream out, PrintStream err, HostFiles host) {
        CommandLine cli = new CommandLine(new PodhogsCommand(out, err, host));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> usageError(err, e.getMessage()));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("podhogs: internal error: " + e + " (please report it with the command line used)");
            return EXIT_INTERNAL;
        });
        return cli.execute(args);
    }

    static int usageError(PrintStream err, String message) {
        err.println("podhogs: " + message + " (podhogs --help lists the options)");
        return EXIT_USAGE;
    }
}
