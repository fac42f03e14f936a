package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.RollUp;
import io.podhogs.accounting.Traffic;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.identity.IdentityLookup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every account level of one snapshot, summed once for all the exports of a refresh (metrics, API).
 *
 * @param interfaces the host's side of each interface that exists now (index to traffic): every
 *     account's bytes there
 */
public record Levels(EngineSnapshot snapshot, List<AccountSnapshot> processes, List<AccountSnapshot> containers,
                     List<AccountSnapshot> pods, List<AccountSnapshot> namespaces, List<AccountSnapshot> workloads,
                     Map<Integer, Traffic> interfaces) {

    /** @param containerNames a container's name (the pod spec's, Docker's), or null */
    public static Levels of(EngineSnapshot s, IdentityLookup identity, Function<String, String> containerNames) {
        RollUp levels = new RollUp(s.accounts(), s.containersByNetns(), containerNames, identity.pods());
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
        return new Levels(s, s.accounts().stream().filter(AccountSnapshot::isProcess).toList(), levels.containers(),
                levels.pods(), levels.namespaces(), levels.workloads(), Map.copyOf(interfaces));
    }
}
