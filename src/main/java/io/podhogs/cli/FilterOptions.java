package io.podhogs.cli;

import io.podhogs.export.UserNames;
import io.podhogs.select.AccountFilter;
import io.podhogs.select.FilterCriteria;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The process filters (a picocli mixin), bwmon's and more: which rows are shown, the rest summed
 * into one 'filtered' row ({@link AccountFilter} says how they combine). The spellings avoid
 * today's: --include/--exclude choose interfaces, -p is promiscuous mode, -l command lines, and -n is
 * kept for iftop's "no DNS".
 */
final class FilterOptions {
    @Option(names = "--match", paramLabel = "REGEX", description = "Show only processes whose program path or"
            + " command line matches (a Java regular expression, found anywhere; repeatable: any of them). bwmon's"
            + " --include; the '-p NAME' of nethogs cheat sheets.")
    List<String> match = new ArrayList<>();

    @Option(names = "--ignore", paramLabel = "REGEX", description = "Never show processes whose program path or"
            + " command line matches (repeatable); wins over --match. bwmon's --exclude.")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--user", paramLabel = "USER", split = ",", description = "Show only processes of these users"
            + " (names or UIDs, repeatable or comma-separated).")
    List<String> users = new ArrayList<>();

    @Option(names = "--container", paramLabel = "REGEX", description = "Show only what is in a container whose"
            + " name, image or ID matches (repeatable: any of them).")
    List<String> containers = new ArrayList<>();

    @Option(names = "--namespace", paramLabel = "NS", split = ",", description = "Show only what is in pods of these"
            + " Kubernetes namespaces (repeatable or comma-separated).")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--selector", paramLabel = "SELECTOR", description = "Show only what is in pods whose labels"
            + " match (app=web,tier!=db,canary,!legacy).")
    String selector;

    /** The criteria as given. */
    FilterCriteria criteria() {
        return new FilterCriteria(match, ignore, users, containers, namespaces, selector);
    }

    /**
     * The filter asked for; an IllegalArgumentException names a bad regular expression, an unknown
     * user or a bad selector by its option.
     */
    AccountFilter filter(List<Integer> pids, UserNames names) {
        return criteria().filter(Set.copyOf(pids), names::uid, criterion -> "--" + criterion);
    }
}
