package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.FilteredKey;
import io.podhogs.accounting.RollUp;
import io.podhogs.accounting.Traffic;
import io.podhogs.apps.Applications;
import io.podhogs.attribution.Owner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.select.AccountFacts;
import io.podhogs.select.AccountFilter;
import io.podhogs.select.FactFinder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every account level of one snapshot, summed once for all the exports of a refresh (metrics, API),
 * after the agent's filter (podhogs.select.*) if it has one.
 *
 * @param interfaces the host's side of each interface that exists now (index to traffic): every
 *     account's bytes there, the filter's left-outs included (a device's total is the device's)
 * @param apps the applications' sums (podhogs.apps.*), and what no application names; empty without
 *     applications
 * @param appMembers each account an application names (the metrics' monotonic application counters)
 * @param filtered the sum of what the filter left out; null when it left nothing out
 * @param shows whether a flow's owner is one the filter shows (the API's connections)
 */
public record Levels(EngineSnapshot snapshot, List<AccountSnapshot> processes, List<AccountSnapshot> containers,
                     List<AccountSnapshot> pods, List<AccountSnapshot> namespaces, List<AccountSnapshot> workloads,
                     Map<Integer, Traffic> interfaces, List<AccountSnapshot> apps,
                     Map<AccountSnapshot, String> appMembers, AccountSnapshot filtered, Predicate<Owner> shows) {

    /** @param containerNames a container's name (the pod spec's, Docker's), or null */
    public static Levels of(EngineSnapshot s, IdentityLookup identity, Function<String, String> containerNames) {
        return of(s, identity, containerNames, AccountFilter.ALL, null);
    }

    /**
     * @param containerNames a container's name (the pod spec's, Docker's), or null
     * @param filter which accounts are shown; the rest are {@link #filtered}
     * @param applications how the shown accounts group into applications; null for none
     */
    public static Levels of(EngineSnapshot s, IdentityLookup identity, Function<String, String> containerNames,
                            AccountFilter filter, Applications applications) {
        List<AccountSnapshot> kept = filter.keep(s.accounts(), s.containersByNetns(), containerNames, identity);
        AccountSnapshot filtered = kept.isEmpty() || !(kept.get(kept.size() - 1).key() instanceof FilteredKey) ? null
                : kept.get(kept.size() - 1);
        Predicate<Owner> shows = owner -> true;
        if (!filter.all()) {
            FactFinder facts = new FactFinder(s.accounts(), s.containersByNetns(), containerNames, identity);
            Predicate<AccountFacts> selects = filter.predicate();
            shows = owner -> selects.test(facts.of(owner));
        }
        RollUp levels = new RollUp(kept, s.containersByNetns(), containerNames, identity.pods());
        Map<Integer, Traffic> interfaces = interfaces(s);
        Applications.Grouped apps = applications == null ? new Applications.Grouped(List.of(), Map.of())
                : applications.grouped(kept, s.containersByNetns(), containerNames, identity);
        return new Levels(s, kept.stream().filter(AccountSnapshot::isProcess).toList(), levels.containers(),
                levels.pods(), levels.namespaces(), levels.workloads(), Map.copyOf(interfaces), apps.rows(),
                apps.members(), filtered, shows);
    }

    /**
     * The host's side of each interface that exists now: every account's bytes there (a byte that
     * crossed a veth and its bridge is on both).
     */
    public static Map<Integer, Traffic> interfaces(EngineSnapshot s) {
        Map<Integer, Traffic> interfaces = new HashMap<>();
        for (AccountSnapshot a : s.accounts()) {
            if (a.key().netns() == 0) {
                a.byInterface().forEach((i, t) -> {
                    // An interface's series and row go with it, as its kernel counters do.
                    if (s.liveInterfaces().contains(i)) {
                        interfaces.merge(i, t, Traffic::plus);
                    }
                });
            }
        }
        return interfaces;
    }
}
