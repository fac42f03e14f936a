package io.podhogs.plugin;

/**
 * What ends kubectl podhogs with a one-line message and an exit code a script can tell apart: the
 * user sees a sentence that says what to do, never a stack trace.
 */
final class PluginException extends RuntimeException {
    private final int exitCode;

    PluginException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** An error that stops the whole answer (no cluster, no agents, no access): exit 1. */
    static PluginException error(String message) {
        return new PluginException(ExitCodes.ERROR, message);
    }

    /** A command line that cannot be run as typed: exit 2, as picocli's own usage errors. */
    static PluginException usage(String message) {
        return new PluginException(ExitCodes.USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
