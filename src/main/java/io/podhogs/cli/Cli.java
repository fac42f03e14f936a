package io.podhogs.cli;

import io.podhogs.host.HostFiles;
import java.io.PrintStream;
import java.util.Arrays;
import picocli.CommandLine;

/** Runs the command line and maps every failure to one line on stderr and an exit code. */
public final class Cli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_USAGE = 2;

    private Cli() {
    }

    /** The first word that runs {@code podhogs report} instead of a monitor. */
    static final String REPORT = "report";
    /** The first word that runs {@code podhogs history} instead of a monitor. */
    static final String HISTORY = "history";
    /** The first word that runs {@code podhogs pipe} instead of a monitor. */
    static final String PIPE = "pipe";

    public static int execute(String[] args, PrintStream out, PrintStream err, HostFiles host) {
        return execute(args, out, err, host, () -> { });
    }

    /**
     * @param beforeRun what a command needs before it runs and --help, --version and a usage error do
     *     not (the log's set-up: JBoss LogManager looks for its configurators in every jar on the class
     *     path, a fifth of --help's time)
     */
    public static int execute(String[] args, PrintStream out, PrintStream err, HostFiles host, Runnable beforeRun) {
        if (args.length > 0 && args[0].equals(REPORT)) {
            // Before the monitor's options are read: 'podhogs -- report' still watches a device so named.
            return execute(new CommandLine(new ReportCommand(out, err)), Arrays.copyOfRange(args, 1, args.length), out, err,
                    "podhogs report", beforeRun);
        }
        if (args.length > 0 && args[0].equals(HISTORY)) {
            return execute(new CommandLine(new HistoryCommand(out, err)), Arrays.copyOfRange(args, 1, args.length), out,
                    err, "podhogs history", beforeRun);
        }
        if (args.length > 0 && args[0].equals(PIPE)) {
            return execute(new CommandLine(new PipeCommand(out, err)), Arrays.copyOfRange(args, 1, args.length), out,
                    err, "podhogs pipe", beforeRun);
        }
        return execute(new CommandLine(new PodhogsCommand(out, err, host)), args, out, err, "podhogs", beforeRun);
    }

    /** @param name the command as typed, for its errors: "podhogs report: ... (podhogs report --help ...)" */
    private static int execute(CommandLine cli, String[] args, PrintStream out, PrintStream err, String name,
                               Runnable beforeRun) {
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            beforeRun.run();
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setParameterExceptionHandler((e, a) -> usageError(err, name, e.getMessage()));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("podhogs: internal error: " + e + " (please report it with the command line used)");
            return EXIT_INTERNAL;
        });
        return cli.execute(args);
    }

    static int usageError(PrintStream err, String message) {
        return usageError(err, "podhogs", message);
    }

    static int usageError(PrintStream err, String name, String message) {
        err.println(name + ": " + message + " (" + name + " --help lists the options)");
        return EXIT_USAGE;
    }
}
