package io.podhogs.accounting;

import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.PodDirectory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How the ledger's accounts roll up, in one place: processes, and the traffic of their network
 * namespaces that no process took, into containers ({@link ContainerAccounts}); containers into
 * pods; pods, deleted ones' retired totals with them, into namespaces and into workloads
 * ({@link PodAccounts}). Accounts outside a level are passed through to it as they are.
 *
 * <p>Each level is summed when first asked for and then kept: the top view pays for the one level
 * it shows, a refresh of the exports once for all of them. One thread.
 */
public final class RollUp {
    private final List<AccountSnapshot> accounts;
    private final Map<Long, CgroupIdentity> containersByNetns;
    private final Function<String, String> containerNames;
    private final PodDirectory podDirectory;
    private List<AccountSnapshot> containers;
    private List<AccountSnapshot> pods;
    private List<AccountSnapshot> namespaces;
    private List<AccountSnapshot> workloads;

    /**
     * @param accounts the ledger's accounts (a snapshot's)
     * @param containersByNetns each namespace's container, from its processes' cgroups (see
     *     {@link ContainerAccounts#group})
     * @param containerNames a container's name (the pod spec's, the runtime's), or null
     * @param pods this node's pods, for the containers' pods and the pods' namespaces and workloads
     */
    public RollUp(List<AccountSnapshot> accounts, Map<Long, CgroupIdentity> containersByNetns,
                  Function<String, String> containerNames, PodDirectory pods) {
        this.accounts = accounts;
        this.containersByNetns = containersByNetns;
        this.containerNames = containerNames;
        this.podDirectory = pods;
    }

    public List<AccountSnapshot> containers() {
        if (containers == null) {
            containers = ContainerAccounts.group(accounts, containersByNetns, containerNames);
        }
        return containers;
    }

    public List<AccountSnapshot> pods() {
        if (pods == null) {
            pods = PodAccounts.pods(containers(), podDirectory);
        }
        return pods;
    }

    public List<AccountSnapshot> namespaces() {
        if (namespaces == null) {
            namespaces = PodAccounts.namespaces(pods());
        }
        return namespaces;
    }

    public List<AccountSnapshot> workloads() {
        if (workloads == null) {
            workloads = PodAccounts.workloads(pods());
        }
        return workloads;
    }
}
