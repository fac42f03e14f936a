package io.podhogs.export.metrics;

import io.podhogs.accounting.AccountKey;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.Traffic;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Applications' totals for counters that never go down. An application is the sum of its members'
 * accounts now, and a member's account can go (an exited process retires into its container's or
 * the host's 'exited processes', a deleted pod into its workload's) or move to another application
 * (a relabelled pod): its bytes so far stay with the application that had them, and a moved member
 * counts in its new application from what it had when it moved, so no byte is in two applications.
 * Bounded: members are the ledger's accounts (bounded), and what gone members left is kept only for
 * applications that still have members or a series.
 */
final class AppCounters {
    /** One member: its application, and the part of its total counted in earlier applications. */
    private record Member(String app, Traffic total, Traffic before) {
        Traffic counted() {
            return total.minus(before);
        }
    }

    private Map<AccountKey, Member> members = new HashMap<>();
    private final Map<String, Traffic> left = new HashMap<>();

    /** Each application's total at this refresh. */
    Map<String, Traffic> update(Map<AccountSnapshot, String> now) {
        Map<AccountKey, Member> next = new HashMap<>();
        for (Map.Entry<AccountSnapshot, String> e : now.entrySet()) {
            AccountKey key = e.getKey().key();
            Traffic total = e.getKey().total();
            Member was = members.get(key);
            Traffic before = was == null ? Traffic.NONE : was.app().equals(e.getValue()) ? was.before() : was.total();
            next.put(key, new Member(e.getValue(), total, before));
        }
        for (Map.Entry<AccountKey, Member> e : members.entrySet()) {
            Member was = e.getValue();
            Member is = next.get(e.getKey());
            if (is == null || !is.app().equals(was.app())) {
                left.merge(was.app(), was.counted(), Traffic::plus); // gone, or moved: its bytes so far stay
            }
        }
        members = next;
        Map<String, Traffic> totals = new HashMap<>(left);
        for (Member m : next.values()) {
            totals.merge(m.app(), m.counted(), Traffic::plus);
        }
        return totals;
    }

    /** Forgets what gone members left to applications with no member and no series (bounded memory). */
    void keepOnly(Set<String> exported) {
        Set<String> withMembers = new java.util.HashSet<>();
        members.values().forEach(m -> withMembers.add(m.app()));
        left.keySet().removeIf(app -> !withMembers.contains(app) && !exported.contains(app));
    }

    int remembered() {
        return left.size();
    }
}
