package io.podhogs.select;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A filter as its user wrote it, the command line's options or the agent's settings alike, before it
 * is checked: regular expressions, user names and a selector as text.
 *
 * @param match program or command line regular expressions, any of them
 * @param ignore program or command line regular expressions, none of them
 * @param users user names or UIDs
 * @param containers container name, image or ID regular expressions
 * @param namespaces Kubernetes namespaces
 * @param selector a label selector, empty for none
 */
public record FilterCriteria(List<String> match, List<String> ignore, List<String> users, List<String> containers,
                             List<String> namespaces, String selector) {
    public FilterCriteria {
        match = List.copyOf(match);
        ignore = List.copyOf(ignore);
        users = List.copyOf(users);
        containers = List.copyOf(containers);
        namespaces = namespaces.stream().map(String::strip).toList();
        selector = selector == null ? "" : selector.strip();
    }

    /**
     * A criterion's name where criteria are settings or file keys, plural for lists
     * (podhogs.select.users, an applications rule's "containers").
     */
    public static String settingName(String criterion) {
        return switch (criterion) {
            case "user", "container", "namespace" -> criterion + "s";
            default -> criterion;
        };
    }

    /** Whether a criterion needs the cluster's pods. */
    public boolean kubernetes() {
        return !namespaces.isEmpty() || !selector.isEmpty();
    }

    /**
     * The filter, checked; an IllegalArgumentException is one line naming what is wrong by the name
     * the user gave it.
     *
     * @param pids nethogs's -P, empty for none
     * @param uidOf a user name's (or a number's) UID from the host's /etc/passwd, empty when it is none
     * @param names the user's name of a criterion ("match", "ignore", "user", "container",
     *     "namespace", "selector"): "--match", "podhogs.select.match" ...
     */
    public AccountFilter filter(Set<Integer> pids, Function<String, OptionalInt> uidOf, UnaryOperator<String> names) {
        Set<Integer> uids = new LinkedHashSet<>();
        for (String user : users) {
            OptionalInt uid = uidOf.apply(user.strip());
            if (uid.isEmpty()) {
                throw new IllegalArgumentException(names.apply("user") + " '" + user + "' is no user of the host's"
                        + " /etc/passwd: give a name it lists or a UID");
            }
            uids.add(uid.getAsInt());
        }
        try {
            LabelSelector.parse(selector);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(names.apply("selector") + e.getMessage().substring("selector".length()));
        }
        return new AccountFilter(pids,
                match.stream().map(r -> AccountFilter.regex(names.apply("match"), r)).toList(),
                ignore.stream().map(r -> AccountFilter.regex(names.apply("ignore"), r)).toList(), uids,
                containers.stream().map(r -> AccountFilter.regex(names.apply("container"), r)).toList(),
                Set.copyOf(namespaces), selector);
    }
}
