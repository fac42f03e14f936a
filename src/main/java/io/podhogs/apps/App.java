package io.podhogs.apps;

import io.podhogs.select.AccountFacts;
import io.podhogs.select.AccountFilter;
import java.util.List;
import java.util.function.Predicate;

/**
 * One application of an applications file: a name and its rules, each a filter (the command line's
 * criteria: match, ignore, users, containers, namespaces, selector, all of a rule's holding); any
 * one rule that holds makes an account the application's.
 *
 * @param line where the file names it, for messages
 */
public record App(String name, List<AccountFilter> rules, int line) {
    public App {
        rules = List.copyOf(rules);
    }

    /** Whether any rule holds for the facts; made once, not per account. */
    Predicate<AccountFacts> matcher() {
        Predicate<AccountFacts> any = f -> false;
        for (AccountFilter rule : rules) {
            any = any.or(rule.predicate());
        }
        return any;
    }
}
