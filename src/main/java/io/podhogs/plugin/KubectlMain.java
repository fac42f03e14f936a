package io.podhogs.plugin;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * kubectl-podhogs: a kubectl plugin (kubectl runs kubectl-podhogs from the PATH as "kubectl podhogs").
 * A plain main, not a Quarkus application: it starts no server and reads no application.properties;
 * it only uses fabric8's client from the same class path as the agent.
 */
public final class KubectlMain {
    private KubectlMain() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, false);
        int code;
        try {
            code = run(args, out, err, Cluster.Environment.ofProcess(), terminal());
        } catch (OutOfMemoryError e) {
            // A very large cluster's answers: still one line, with what to do.
            err.println("error: out of memory for the agents' answers: ask fewer (-n, --node, a view other than"
                    + " connections) or give the JVM more (KUBECTL_PODHOGS_JAVA_OPTS=-Xmx1g)");
            code = ExitCodes.ERROR;
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Whether stdout is a terminal (then -w redraws in place). The launcher knows for sure ([ -t 1 ])
     * and says so in KUBECTL_PODHOGS_TTY; System.console() is only a guess: on JDK 17 it is null when
     * stdin alone is redirected, and from JDK 22 it is there even when stdout goes to a pipe.
     */
    private static boolean terminal() {
        String said = System.getenv("KUBECTL_PODHOGS_TTY");
        return said != null ? said.equals("1") : System.console() != null;
    }

    /**
     * Where "history" stands as the view (the first word that is not an option or an option's
     * value: `kubectl podhogs --context prod history`), or -1 when the view is another.
     */
    private static int historyWord(CommandLine views, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return -1;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                return a.equals(KubectlHistoryCommand.WORD) ? i : -1;
            }
            CommandLine.Model.OptionSpec option = a.contains("=") ? null : views.getCommandSpec().findOption(a);
            if (option != null && option.arity().min() > 0) {
                i++; // its value
            }
        }
        return -1;
    }

    /** Runs the command as typed; its exit status (ExitCodes). */
    static int run(String[] args, PrintWriter out, PrintWriter err, Cluster.Environment env, boolean terminal) {
        CommandLine views = new CommandLine(new KubectlPodhogsCommand(out, err, env, terminal));
        int word = historyWord(views, args);
        CommandLine cli = word < 0 ? views : new CommandLine(new KubectlHistoryCommand(out, err, env));
        String help = word < 0 ? "kubectl podhogs --help" : "kubectl podhogs history --help";
        if (word >= 0) {
            // The options before the word (--kubeconfig, --context ...) are the history's too.
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            rest.remove(word);
            args = rest.toArray(String[]::new);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionStrategy(parsed -> {
            Integer asked = CommandLine.executeHelpRequest(parsed);
            if (asked != null) {
                return asked;
            }
            // The libraries' own log lines (fabric8, Vert.x) are not this command's output: its errors
            // are its own one-line messages. Not before --help and --version, which log nothing: the
            // log manager looks for its configurators in every jar, a fifth of --help's time.
            Logger.getLogger("").setLevel(Level.OFF);
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            err.println("See '" + help + "' for usage.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof PluginException pe) {
                err.println("error: " + pe.getMessage());
                if (pe.exitCode() == ExitCodes.USAGE) {
                    err.println("See '" + help + "' for usage.");
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
