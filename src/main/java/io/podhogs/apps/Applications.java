package io.podhogs.apps;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.AppAccounts;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.select.AccountFacts;
import io.podhogs.select.FactFinder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Names each account's application, as {@link AppRules} say: the first application of the file
 * whose rule holds; else, when grouping automatically, a pod's by its label (namespace/value), then
 * by its workload (namespace/name), then by its name; a process outside pods by its program's base
 * name (bwmon's --auto-group). Anything else (the host's unknown traffic, a Docker container's
 * traffic no process took) keeps its own row. Used per refresh, off the packet path.
 */
public final class Applications {
    private final AppRules rules;
    private final List<String> names = new ArrayList<>();
    private final List<Predicate<AccountFacts>> matchers = new ArrayList<>();

    public Applications(AppRules rules) {
        this.rules = rules;
        for (App app : rules.apps()) {
            names.add(app.name());
            matchers.add(app.matcher());
        }
    }

    /** bwmon's --auto-group, pods by {@link AppRules#DEFAULT_LABEL}: no rules file. */
    public static Applications automatic() {
        return new Applications(AppRules.auto(AppRules.DEFAULT_LABEL));
    }

    /** The application of an account with these facts, or null for one that keeps its own row. */
    public String appOf(AccountFacts f) {
        for (int i = 0; i < matchers.size(); i++) {
            if (matchers.get(i).test(f)) {
                return names.get(i);
            }
        }
        if (!rules.autoUnmatched()) {
            return null;
        }
        if (f.labels() != null) {
            String value = f.labels().get(rules.label());
            String name = value != null && !value.isEmpty() ? value : !f.workload().isEmpty() ? f.workload() : f.pod();
            return name.isEmpty() ? null : f.namespace() + "/" + name;
        }
        if (f.process()) {
            String program = f.program();
            int slash = program.lastIndexOf('/');
            return slash >= 0 && slash < program.length() - 1 ? program.substring(slash + 1) : program;
        }
        return null;
    }

    /**
     * The accounts summed into applications.
     *
     * @param containersByNetns the snapshot's containers by network namespace
     * @param containerNames a container ID's name, or null
     */
    public List<AccountSnapshot> group(List<AccountSnapshot> accounts, Map<Long, CgroupIdentity> containersByNetns,
                                       Function<String, String> containerNames, IdentityLookup identity) {
        return grouped(accounts, containersByNetns, containerNames, identity).rows();
    }

    /**
     * The accounts summed into applications, with each member account's application (the metrics
     * keep an application's counter from going down when a member's account retires).
     */
    public Grouped grouped(List<AccountSnapshot> accounts, Map<Long, CgroupIdentity> containersByNetns,
                           Function<String, String> containerNames, IdentityLookup identity) {
        FactFinder facts = new FactFinder(accounts, containersByNetns, containerNames, identity);
        Map<AccountSnapshot, String> members = new IdentityHashMap<>();
        for (AccountSnapshot a : accounts) {
            String app = appOf(facts.of(a));
            if (app != null) {
                members.put(a, app);
            }
        }
        return new Grouped(AppAccounts.group(accounts, members::get), members);
    }

    /**
     * @param rows applications' sums and the accounts no application names
     * @param members each account an application names, with its name
     */
    public record Grouped(List<AccountSnapshot> rows, Map<AccountSnapshot, String> members) {
    }
}
