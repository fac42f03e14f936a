package io.podhogs.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.podhogs.attribution.UnknownOwner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a filter leaves out is one 'filtered' account holding every byte of it, never nothing. */
class FilteredAccountsTest {
    private static AccountSnapshot account(String name, long sent, long received) {
        AccountKey key = new OwnerKey(new UnknownOwner(name, 0));
        return new AccountSnapshot(key, Map.of(3, new Traffic(sent, 1, received, 2)), new Traffic(sent, 1, received, 2),
                sent / 2.0, received / 2.0, false, 0, 0);
    }

    @Test
    void theRestIsSummedIntoOneFilteredAccountAndFilteringAgainKeepsOne() {
        AccountSnapshot a = account("a", 100, 1_000);
        AccountSnapshot b = account("b", 20, 3);
        AccountSnapshot c = account("c", 5, 7);
        List<AccountSnapshot> once = FilteredAccounts.keep(List.of(a, b, c), x -> x == a);
        assertEquals(2, once.size());
        assertSame(a, once.get(0));
        AccountSnapshot filtered = once.get(1);
        assertEquals(FilteredKey.INSTANCE, filtered.key());
        assertEquals(AccountKind.FILTERED, filtered.key().kind());
        assertEquals(new Traffic(25, 2, 10, 4), filtered.total());
        assertEquals(new Traffic(25, 2, 10, 4), filtered.on(3));
        assertEquals(12.5, filtered.sentRate());

        // A second filter (the top view's, after --match) sums into the same one row.
        List<AccountSnapshot> twice = FilteredAccounts.keep(once, x -> false);
        assertEquals(1, twice.size());
        assertEquals(new Traffic(125, 3, 1_010, 6), twice.get(0).total());
    }

    @Test
    void nothingLeftOutIsNoFilteredRow() {
        List<AccountSnapshot> all = List.of(account("a", 1, 1));
        assertSame(all, FilteredAccounts.keep(all, x -> true));
        assertEquals(List.of(), FilteredAccounts.keep(List.of(), x -> false));
    }
}
