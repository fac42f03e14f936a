package io.podhogs.plugin;

/** kubectl podhogs's exit codes, as README.md documents them for scripts. */
final class ExitCodes {
    /** Every node's agent answered. */
    static final int OK = 0;
    /** No answer at all: no cluster, API server unreachable, no agents, no access, no agent answered. */
    static final int ERROR = 1;
    /** The command line is wrong (picocli uses 2 for its own usage errors too). */
    static final int USAGE = 2;
    /** An answer, but some nodes' agents did not answer (each named on stderr). */
    static final int PARTIAL = 3;

    private ExitCodes() {
    }
}
