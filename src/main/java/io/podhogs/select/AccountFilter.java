package io.podhogs.select;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.FilteredAccounts;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.IdentityLookup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which accounts are shown, bwmon's process filters and more: each kind of criterion given must
 * hold (and), any one of a kind's values will do (or), and an ignored process is never shown
 * (ignore wins, as bwmon's exclude does). Regular expressions are Java's, found anywhere in the text
 * (as grep -E finds them: anchor with ^ and $). The program, command line and user criteria hold
 * for processes only, so with one of them the host's unknown buckets and a container's traffic that
 * no process took are left out too; the container, namespace and label criteria hold for every
 * account in that container or pod. What is left out is not dropped: the exports sum it into one
 * 'filtered' row (accounting.FilteredAccounts).
 *
 * @param pids nethogs's -P: only these processes
 * @param match a process whose program path or command line matches one of these
 * @param ignore no process whose program path or command line matches one of these
 * @param uids only processes of these users
 * @param containers only accounts in a container whose name, image or ID matches one of these
 * @param namespaces only accounts in pods of these namespaces
 * @param selector only accounts in pods whose labels it selects, as Kubernetes's equality-based
 *     selector ({@link LabelSelector}); empty for none
 */
public record AccountFilter(Set<Integer> pids, List<Pattern> match, List<Pattern> ignore, Set<Integer> uids,
                            List<Pattern> containers, Set<String> namespaces, String selector) {
    public static final AccountFilter ALL = new AccountFilter(Set.of(), List.of(), List.of(), Set.of(), List.of(),
            Set.of(), "");

    public AccountFilter {
        pids = Set.copyOf(pids);
        match = List.copyOf(match);
        ignore = List.copyOf(ignore);
        uids = Set.copyOf(uids);
        containers = List.copyOf(containers);
        namespaces = Set.copyOf(namespaces);
        selector = selector == null ? "" : selector.strip();
        LabelSelector.parse(selector); // refused here, with what is wrong
    }

    /** Only these processes (nethogs's -P), nothing else asked. */
    public static AccountFilter pids(Set<Integer> pids) {
        return new AccountFilter(pids, List.of(), List.of(), Set.of(), List.of(), Set.of(), "");
    }

    /**
     * A regular expression as a filter takes it; a bad one is refused in one line that names the
     * option and says what is wrong where.
     */
    public static Pattern regex(String option, String text) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a regular expression: "
                    + e.getDescription() + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""));
        }
    }

    /** Whether it selects everything (nothing asked). */
    public boolean all() {
        return equals(ALL);
    }

    /**
     * The accounts it selects, then one 'filtered' account summing the rest (none when it selects
     * them all).
     *
     * @param containersByNetns the snapshot's containers by network namespace
     * @param containerNames a container ID's name (the pod spec's, the runtime's), or null
     */
    public List<AccountSnapshot> keep(List<AccountSnapshot> accounts, Map<Long, CgroupIdentity> containersByNetns,
                                      Function<String, String> containerNames, IdentityLookup identity) {
        if (all()) {
            return accounts;
        }
        FactFinder facts = new FactFinder(accounts, containersByNetns, containerNames, identity);
        Predicate<AccountFacts> selects = predicate();
        return FilteredAccounts.keep(accounts, a -> selects.test(facts.of(a)));
    }

    /** Whether the facts of an account are selected. */
    public Predicate<AccountFacts> predicate() {
        Predicate<Map<String, String>> labels = LabelSelector.parse(selector);
        boolean byLabels = !selector.isEmpty();
        return f -> {
            if (!pids.isEmpty() && !(f.process() && pids.contains(f.pid()))) {
                return false;
            }
            if (!match.isEmpty() && !(f.process() && anyFound(match, f.program(), f.commandLine()))) {
                return false;
            }
            if (!ignore.isEmpty() && f.process() && anyFound(ignore, f.program(), f.commandLine())) {
                return false;
            }
            if (!uids.isEmpty() && !(f.process() && uids.contains(f.uid()))) {
                return false;
            }
            if (!containers.isEmpty() && (f.containerId().isEmpty()
                    || !anyFound(containers, f.containerName(), f.image(), f.containerId()))) {
                return false;
            }
            if (!namespaces.isEmpty() && !namespaces.contains(f.namespace())) {
                return false;
            }
            return !byLabels || (f.labels() != null && labels.test(f.labels()));
        };
    }

    private static boolean anyFound(List<Pattern> patterns, String... texts) {
        for (Pattern p : patterns) {
            for (String t : texts) {
                if (!t.isEmpty() && p.matcher(t).find()) {
                    return true;
                }
            }
        }
        return false;
    }
}
