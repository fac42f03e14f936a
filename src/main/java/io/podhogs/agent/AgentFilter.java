package io.podhogs.agent;

import io.podhogs.export.UserNames;
import io.podhogs.host.HostFiles;
import io.podhogs.select.AccountFilter;
import io.podhogs.select.FilterCriteria;
import java.util.List;
import java.util.Set;

/** The agent's filter from its settings (podhogs.select.*), each bad value refused with its setting's name. */
final class AgentFilter {
    private AgentFilter() {
    }

    /**
     * @param kubernetes whether a cluster may be used (podhogs.kubernetes.mode not off): the
     *     namespace and selector criteria need one
     */
    static AccountFilter of(AgentConfig.Select settings, HostFiles host, boolean kubernetes) {
        FilterCriteria criteria = new FilterCriteria(settings.match().orElse(List.of()),
                settings.ignore().orElse(List.of()), settings.users().orElse(List.of()),
                settings.containers().orElse(List.of()), settings.namespaces().orElse(List.of()),
                settings.selector().orElse(""));
        if (!kubernetes && criteria.kubernetes()) {
            throw new IllegalArgumentException("podhogs.select.namespaces and podhogs.select.selector need Kubernetes,"
                    + " which podhogs.kubernetes.mode=off leaves out");
        }
        UserNames names = new UserNames(host);
        return criteria.filter(Set.of(), names::uid, criterion -> "podhogs.select." + FilterCriteria.settingName(criterion));
    }
}
