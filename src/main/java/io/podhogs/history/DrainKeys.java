package io.podhogs.history;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ContainerKey;
import io.podhogs.accounting.NamespaceKey;
import io.podhogs.accounting.PodKey;
import io.podhogs.accounting.RemoteClassTraffic;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.accounting.RollUp;
import io.podhogs.accounting.Traffic;
import io.podhogs.apps.Applications;
import io.podhogs.engine.HistorySink;
import io.podhogs.identity.ContainerInfo;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.RemoteClass;
import io.podhogs.select.FactFinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Turns one drain of the engine (what each account got in the last second) into history rows: the
 * same bytes at each {@link HistoryLevel}, per remote class ("" where no cluster classified them).
 * The roll-up is the exports' ({@link RollUp}), on the drained traffic instead of the totals.
 */
final class DrainKeys {
    /** The remote class of bytes no cluster classified. */
    static final String UNCLASSIFIED = "";

    private final IdentityLookup identity;
    private final Function<String, String> containerNames;
    private final IntFunction<String> userNames;
    private final Supplier<Applications> applications;
    private final RecentPods recentPods = new RecentPods();

    /**
     * @param containerNames a container's name (the pod spec's, the runtime's), or null
     * @param userNames a UID's user name
     * @param applications the monitor's grouping into applications as it is now (the agent's
     *     rules file may be replaced while it runs)
     */
    DrainKeys(IdentityLookup identity, Function<String, String> containerNames, IntFunction<String> userNames,
              Supplier<Applications> applications) {
        this.identity = identity;
        this.containerNames = containerNames;
        this.userNames = userNames;
        this.applications = applications;
    }

    /** Each row of the drain, at every level, with its traffic by remote class. */
    void rows(HistorySink.Drain drain, BiConsumer<HistoryKey, Map<String, Traffic>> to) {
        List<AccountSnapshot> accounts = drain.accounts();
        if (accounts.isEmpty()) {
            return;
        }
        PodDirectory pods = recentPods.with(identity.pods());
        RollUp up = new RollUp(accounts, drain.containersByNetns(), containerNames, pods);
        List<Map<String, Traffic>> own = new ArrayList<>(accounts.size()); // each account's, for the app level too
        for (AccountSnapshot a : accounts) {
            Map<String, Traffic> classes = byClass(a);
            own.add(classes);
            to.accept(a.isProcess() ? HistoryKey.program(a.program(), userNames.apply(a.uid()))
                    : HistoryKey.program(a.program(), ""), classes);
        }
        // The roll-up passes what is outside a level through to it account by account (every host
        // process at the container level): summed here first, one row a level, not one add each
        // (BENCHMARKS.md, history recording).
        RowSum outside = new RowSum(HistoryLevel.CONTAINER);
        for (AccountSnapshot c : up.containers()) {
            if (c.key() instanceof ContainerKey) {
                to.accept(containerKey(c, pods), byClass(c));
            } else {
                outside.add(c);
            }
        }
        outside.to(to);
        outside = new RowSum(HistoryLevel.POD);
        for (AccountSnapshot p : up.pods()) {
            if (p.key() instanceof PodKey || p.key() instanceof RetiredPodsKey) {
                to.accept(podKey(p), byClass(p));
            } else {
                outside.add(p);
            }
        }
        outside.to(to);
        outside = new RowSum(HistoryLevel.NAMESPACE);
        for (AccountSnapshot n : up.namespaces()) {
            if (n.key() instanceof NamespaceKey k) {
                to.accept(HistoryKey.namespace(k.namespace()), byClass(n));
            } else {
                outside.add(n);
            }
        }
        outside.to(to);
        appRows(drain, own, pods, to);
    }

    /**
     * The application level: each application's row, and one of what no application names. Summed
     * here by name, not through {@code Applications.group}: the drain needs no account per
     * application, and a thousand processes a second made that the recorder's largest cost
     * (BENCHMARKS.md, history recording).
     */
    private void appRows(HistorySink.Drain drain, List<Map<String, Traffic>> own, PodDirectory pods,
                         BiConsumer<HistoryKey, Map<String, Traffic>> to) {
        // The pods seen lately, as above: a deleted pod's last bytes go to its application.
        IdentityLookup recent = new IdentityLookup() {
            @Override
            public Optional<ContainerInfo> container(String containerId) {
                return identity.container(containerId);
            }

            @Override
            public PodDirectory pods() {
                return pods;
            }
        };
        Applications apps = applications.get();
        FactFinder facts = new FactFinder(drain.accounts(), drain.containersByNetns(), containerNames, recent);
        Map<String, RowSum> byApp = new HashMap<>();
        RowSum outside = new RowSum(HistoryKey.outside(HistoryLevel.APP));
        List<AccountSnapshot> accounts = drain.accounts();
        for (int i = 0; i < accounts.size(); i++) {
            String app = apps.appOf(facts.of(accounts.get(i)));
            (app == null ? outside : byApp.computeIfAbsent(app, n -> new RowSum(HistoryKey.app(n)))).add(own.get(i));
        }
        byApp.values().forEach(o -> o.to(to));
        outside.to(to);
    }

    /** The traffic by remote class of several accounts, summed into one row (a level's outside, an application). */
    private static final class RowSum {
        private final HistoryKey key;
        private final Map<String, Traffic> byClass = new LinkedHashMap<>();

        RowSum(HistoryKey key) {
            this.key = key;
        }

        RowSum(HistoryLevel level) {
            this(HistoryKey.outside(level));
        }

        void add(AccountSnapshot a) {
            add(byClass(a));
        }

        void add(Map<String, Traffic> classes) {
            if (byClass.isEmpty()) {
                byClass.putAll(classes); // the common case: an application of one account
            } else {
                classes.forEach((c, t) -> byClass.merge(c, t, Traffic::plus));
            }
        }

        void to(BiConsumer<HistoryKey, Map<String, Traffic>> to) {
            if (!byClass.isEmpty()) {
                to.accept(key, byClass);
            }
        }
    }

    private HistoryKey containerKey(AccountSnapshot a, PodDirectory pods) {
        if (!(a.key() instanceof ContainerKey c)) {
            return HistoryKey.outside(HistoryLevel.CONTAINER);
        }
        String id = c.cgroup().containerId();
        String image = identity.container(id).map(ContainerInfo::image).orElse("");
        String name = pods.containerName(id);
        return pods.pod(c.cgroup().podUid(), id)
                .map(p -> HistoryKey.container(name != null ? name : c.name(), image, p.namespace(), p.name()))
                .orElse(HistoryKey.container(c.name(), image, "", ""));
    }

    private static HistoryKey podKey(AccountSnapshot a) {
        if (a.key() instanceof PodKey p) {
            return p.namespace().isEmpty() ? HistoryKey.pod("", "pod:" + p.uid(), "")
                    : HistoryKey.pod(p.namespace(), p.podName(), p.workload() == null ? "" : p.workload().toString());
        }
        if (a.key() instanceof RetiredPodsKey r) {
            return HistoryKey.pod(r.namespace(), "(deleted pods)", r.workload() == null ? "" : r.workload().toString());
        }
        return HistoryKey.outside(HistoryLevel.POD);
    }

    /** The account's traffic per remote class; what no class took under {@link #UNCLASSIFIED}. */
    static Map<String, Traffic> byClass(AccountSnapshot a) {
        Map<String, Traffic> result = new LinkedHashMap<>();
        Traffic rest = a.total();
        for (Map.Entry<RemoteClass, RemoteClassTraffic> e : a.byRemoteClass().entrySet()) {
            result.put(e.getKey().label(), e.getValue().total());
            rest = rest.minus(e.getValue().total());
        }
        if (!rest.equals(Traffic.NONE)) {
            result.put(UNCLASSIFIED, rest);
        }
        return result;
    }

    /**
     * The pods seen lately, deleted ones included: a deleted pod's last bytes come after the
     * cluster has forgotten it, and must still be recorded under its name. Bounded.
     */
    private static final class RecentPods {
        private static final int MAX = 8_192;
        private final Map<String, io.podhogs.identity.PodInfo> seen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, io.podhogs.identity.PodInfo> eldest) {
                return size() > MAX;
            }
        };
        private PodDirectory last;
        private PodDirectory merged = PodDirectory.EMPTY;

        PodDirectory with(PodDirectory now) {
            if (now == last) {
                return merged;
            }
            last = now;
            for (io.podhogs.identity.PodInfo p : now.pods()) {
                seen.put(p.uid(), p);
            }
            merged = seen.size() == now.pods().size() ? now
                    : new PodDirectory(new ArrayList<>(seen.values()), now.synced(), java.time.Duration.ZERO);
            return merged;
        }
    }
}
