package io.podhogs.cli;

import io.podhogs.host.HostFiles;

/**
 * The command line's entry point, without Quarkus: it serves no HTTP and needs nothing Quarkus
 * gives (no injection, no configuration of its own), and booting Quarkus cost about a second of
 * every run, --version's included (issue 20). The launcher runs it for everything but
 * {@code podhogs agent}, which {@link Main} boots Quarkus for.
 */
public final class CliMain {
    private CliMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(Main.AGENT)) {
            // The agent boots Quarkus, which starts from its packaged jar (the launcher knows).
            System.err.println("podhogs: the agent starts from the packaged jar: ./podhogs agent, or java -jar"
                    + " target/quarkus-app/quarkus-run.jar agent");
            System.exit(Cli.EXIT_USAGE);
        }
        System.exit(Cli.execute(args, System.out, System.err, HostFiles.system(), CliLogging::configure));
    }
}
