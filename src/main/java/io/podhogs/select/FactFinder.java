package io.podhogs.select;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ContainerAccounts;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ContainerInfo;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.PodInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The facts of the accounts of one snapshot ({@link AccountFacts}): processes from the ledger's
 * keys, containers from cgroups and network namespaces as the container level sums them, names and
 * images from the runtime, pods from the cluster's last answer. Made per refresh, off the packet path.
 */
public final class FactFinder {
    private final Map<Long, CgroupIdentity> containersByNetns;
    private final Function<String, String> containerNames;
    private final IdentityLookup identity;

    /**
     * @param accounts the snapshot's accounts
     * @param containersByNetns the snapshot's containers by network namespace
     * @param containerNames a container ID's name (the pod spec's, the runtime's), or null
     */
    public FactFinder(List<AccountSnapshot> accounts, Map<Long, CgroupIdentity> containersByNetns,
                      Function<String, String> containerNames, IdentityLookup identity) {
        this.containersByNetns = ContainerAccounts.byNetns(accounts, containersByNetns);
        this.containerNames = containerNames;
        this.identity = identity;
    }

    public AccountFacts of(AccountSnapshot a) {
        ProcessInfo p = a.isProcess() ? a.key().process().process() : null;
        CgroupIdentity container = ContainerAccounts.containerOf(a, containersByNetns);
        String retiredNamespace = a.key() instanceof RetiredPodsKey r ? r.namespace() : "";
        return facts(p, a.program(), container, retiredNamespace);
    }

    /** The facts of a flow's owner (the API's connections): its process's, or its namespace's container's. */
    public AccountFacts of(Owner owner) {
        ProcessInfo p = owner instanceof ProcessOwner o ? o.process() : null;
        CgroupIdentity container = p != null ? (p.cgroup().inContainer() ? p.cgroup() : null)
                : owner.netns() > 0 ? containersByNetns.get(owner.netns()) : null;
        return facts(p, owner.name(), container, "");
    }

    private AccountFacts facts(ProcessInfo p, String name, CgroupIdentity container, String retiredNamespace) {
        String program = p == null ? name : p.program();
        String command = p == null ? name : p.commandLine();
        String id = container == null ? "" : container.containerId();
        String containerName = "";
        String image = "";
        String namespace = retiredNamespace;
        String podName = "";
        String workload = "";
        Map<String, String> labels = null;
        if (container != null) {
            String known = containerNames.apply(id);
            containerName = known == null ? "" : known;
            image = identity.container(id).map(ContainerInfo::image).orElse("");
            Optional<PodInfo> pod = identity.pods().pod(container.podUid(), id);
            if (pod.isPresent()) {
                namespace = pod.get().namespace();
                podName = pod.get().name();
                workload = pod.get().workload() == null ? "" : pod.get().workload().name();
                labels = pod.get().labels();
            }
        }
        return new AccountFacts(p != null, p == null ? 0 : p.pid(), p == null ? -1 : p.uid(), program, command, id,
                containerName, image, namespace, podName, workload, labels);
    }
}
