package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;

/**
 * How an output shows a process's command line and program: with what looks like a secret hidden
 * ({@link CommandLineRedactor}, the default everywhere), or whole when its user asked for that
 * explicitly ({@code --show-secrets}, {@code podhogs.show-secrets}).
 */
public record CommandLines(boolean full) {
    public static final CommandLines REDACTED = new CommandLines(false);
    public static final CommandLines FULL = new CommandLines(true);

    /** The account's command line (a process's arguments; another account's name as it is). */
    public String command(AccountSnapshot a) {
        if (full || !a.isProcess()) {
            return a.commandLine();
        }
        return a.arguments().isEmpty() ? CommandLineRedactor.words(a.commandLine()) : CommandLineRedactor.redact(a.arguments());
    }

    /** The program (argv[0], which a process may have rewritten into anything, or the kernel's name). */
    public String program(AccountSnapshot a) {
        return full || !a.isProcess() ? a.program() : CommandLineRedactor.words(a.program());
    }
}
