package io.podhogs.accounting;

import java.util.List;
import java.util.function.Function;

/** Accounts summed into applications: each account its application names, the others passed through. */
public final class AppAccounts {
    private AppAccounts() {
    }

    /**
     * @param appOf an account's application, or null for an account that keeps its own row (a
     *     process no rule names, the host's unknown traffic, a filter's sum)
     */
    public static List<AccountSnapshot> group(List<AccountSnapshot> accounts, Function<AccountSnapshot, String> appOf) {
        return AccountSums.regroup(accounts, a -> a.key() instanceof FilteredKey ? null : appOf.apply(a),
                a -> new AppKey(appOf.apply(a)));
    }
}
