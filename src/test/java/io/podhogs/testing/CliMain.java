package io.podhogs.testing;


/** The command line without Quarkus, for tests that must run podhogs in a JVM of its own. */
public final class CliMain {
    private CliMain() {
    }

    /** As the launcher runs the command line: the production entry point, its log set up as there. */
    public static void main(String[] args) {
        io.podhogs.cli.CliMain.main(args);
    }

    /** The command that runs {@link CliMain} with this test JVM's class path. */
    public static java.util.List<String> command(java.util.List<String> jvmOptions, String... args) {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // As the launcher does: the JBoss log manager, set before anything logs.
        command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), CliMain.class.getName()));
        command.addAll(java.util.List.of(args));
        return command;
    }
}
