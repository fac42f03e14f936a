package io.podhogs.export.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.UnknownOwner;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An application's counter never goes down: members that go or move leave their bytes where they were counted. */
class AppCountersTest {
    private static AccountSnapshot member(String name, long bytes) {
        Traffic t = new Traffic(bytes, 1, 0, 0);
        return new AccountSnapshot(new OwnerKey(new UnknownOwner(name, 0)), Map.of(), t, 0, 0, false, 0, 0);
    }

    private static Map<AccountSnapshot, String> of(Object... memberThenApp) {
        Map<AccountSnapshot, String> m = new IdentityHashMap<>();
        for (int i = 0; i < memberThenApp.length; i += 2) {
            m.put((AccountSnapshot) memberThenApp[i], (String) memberThenApp[i + 1]);
        }
        return m;
    }

    private static long sent(Map<String, Traffic> totals, String app) {
        return totals.getOrDefault(app, Traffic.NONE).sentBytes();
    }

    @Test
    void goneAndMovedMembersLeaveTheirBytesAndNothingIsCountedTwice() {
        AppCounters counters = new AppCounters();
        Map<String, Traffic> t = counters.update(of(member("a", 100), "web", member("b", 50), "web", member("c", 7), "db"));
        assertEquals(150, sent(t, "web"));
        assertEquals(7, sent(t, "db"));

        // b exits (its account retires elsewhere); a grows: web keeps b's 50.
        t = counters.update(of(member("a", 130), "web", member("c", 9), "db"));
        assertEquals(180, sent(t, "web"));

        // a moves to db (a relabelled pod) and grows by 20: web keeps a's 130, db counts a's growth only.
        t = counters.update(of(member("a", 150), "db", member("c", 9), "db"));
        assertEquals(180, sent(t, "web"), "web never goes down");
        assertEquals(9 + 20, sent(t, "db"));

        // a's and c's growth now in db; the sum of every application is every byte once.
        t = counters.update(of(member("a", 160), "db", member("c", 10), "db"));
        assertEquals(220, sent(t, "web") + sent(t, "db"), "web's 180, a's 30 since it moved and c's 10");
    }

    @Test
    void whatGoneMembersLeftIsForgottenForApplicationsWithNeitherMembersNorSeries() {
        AppCounters counters = new AppCounters();
        counters.update(of(member("a", 100), "once", member("b", 5), "kept"));
        counters.update(of(member("b", 6), "kept"));
        assertEquals(1, counters.remembered(), "once's 100 while it may still have a series");
        counters.keepOnly(Set.of("once"));
        assertEquals(1, counters.remembered());
        counters.keepOnly(Set.of("kept"));
        assertEquals(0, counters.remembered(), "no member and no series: nothing left to keep monotonic");
    }
}
