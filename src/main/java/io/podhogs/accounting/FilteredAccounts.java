package io.podhogs.accounting;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A filter applied to accounts without losing a byte: the accounts it selects, in their order, and
 * one {@link FilteredKey} account that is the sum of all the others (an earlier filter's sum among
 * them: filters applied in turn leave one such row).
 */
public final class FilteredAccounts {
    private FilteredAccounts() {
    }

    /** The selected accounts, then the sum of the rest when there was any rest; the same list when all are selected. */
    public static List<AccountSnapshot> keep(List<AccountSnapshot> accounts, Predicate<AccountSnapshot> selected) {
        List<AccountSnapshot> kept = new ArrayList<>(accounts.size());
        List<AccountSnapshot> left = new ArrayList<>();
        for (AccountSnapshot a : accounts) {
            (a.key() instanceof FilteredKey || !selected.test(a) ? left : kept).add(a);
        }
        if (left.isEmpty()) {
            return accounts;
        }
        kept.add(AccountSums.sum(FilteredKey.INSTANCE, left));
        return kept;
    }
}
