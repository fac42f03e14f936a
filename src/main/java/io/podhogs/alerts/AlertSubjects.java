package io.podhogs.alerts;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.AppKey;
import io.podhogs.accounting.ContainerKey;
import io.podhogs.accounting.NamespaceKey;
import io.podhogs.accounting.PodKey;
import io.podhogs.accounting.RollUp;
import io.podhogs.apps.Applications;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.export.PodFields;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.select.AccountFacts;
import io.podhogs.select.FactFinder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * The subjects of one snapshot for each rule: the accounts its criteria select, summed per what it
 * watches, as the other exports sum them ({@link RollUp}, {@link Applications}). Only the level's
 * own rows are subjects: at the pod level the host's processes, which are in no pod, are none.
 * Made per evaluation, off the packet path.
 */
final class AlertSubjects {
    private final EngineSnapshot snapshot;
    private final IdentityLookup identity;
    private final Function<String, String> containerNames;
    private final IntFunction<String> userNames;
    private final Applications applications;
    private final FactFinder facts;

    /**
     * @param containerNames a container ID's name (the pod spec's, the runtime's), or null
     * @param userNames a UID's user name
     */
    AlertSubjects(EngineSnapshot snapshot, IdentityLookup identity, Function<String, String> containerNames,
                  IntFunction<String> userNames, Applications applications) {
        this.snapshot = snapshot;
        this.identity = identity;
        this.containerNames = containerNames;
        this.userNames = userNames;
        this.applications = applications;
        this.facts = new FactFinder(snapshot.accounts(), snapshot.containersByNetns(), containerNames, identity);
    }

    List<AlertEvaluator.Subject> of(AlertRule rule) {
        List<AccountSnapshot> selected = snapshot.accounts();
        if (!rule.scope().all()) {
            Predicate<AccountFacts> selects = rule.scope().predicate();
            selected = selected.stream().filter(a -> selects.test(facts.of(a))).toList();
        }
        List<AlertEvaluator.Subject> subjects = new ArrayList<>();
        if (rule.per() == AlertLevel.PROCESS) {
            for (AccountSnapshot a : selected) {
                if (a.isProcess()) {
                    subjects.add(new AlertEvaluator.Subject(a.key(), process(a), a.total()));
                }
            }
            return subjects;
        }
        if (rule.per() == AlertLevel.APP) {
            for (AccountSnapshot a : applications.group(selected, snapshot.containersByNetns(), containerNames,
                    identity)) {
                if (a.key() instanceof AppKey k && rule.takesApp(k.name())) {
                    subjects.add(new AlertEvaluator.Subject(k, new AlertSubject(AlertLevel.APP, k.name(),
                            Map.of("app", k.name())), a.total()));
                }
            }
            return subjects;
        }
        RollUp up = new RollUp(selected, snapshot.containersByNetns(), containerNames, identity.pods());
        List<AccountSnapshot> rows = switch (rule.per()) {
            case CONTAINER -> up.containers();
            case POD -> up.pods();
            default -> up.namespaces();
        };
        for (AccountSnapshot a : rows) {
            AlertSubject s = switch (rule.per()) {
                case CONTAINER -> a.key() instanceof ContainerKey c ? container(a, c) : null;
                case POD -> a.key() instanceof PodKey p ? pod(a, p) : null;
                default -> a.key() instanceof NamespaceKey n
                        ? new AlertSubject(AlertLevel.NAMESPACE, n.namespace(), Map.of("namespace", n.namespace())) : null;
            };
            if (s != null) {
                subjects.add(new AlertEvaluator.Subject(a.key(), s, a.total()));
            }
        }
        return subjects;
    }

    private AlertSubject process(AccountSnapshot a) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("pid", Integer.toString(a.pid()));
        labels.put("program", a.program());
        labels.put("user", userNames.apply(a.uid()));
        podLabels(PodFields.of(a, identity), labels);
        return new AlertSubject(AlertLevel.PROCESS, a.program() + "/" + a.pid(), labels);
    }

    private AlertSubject container(AccountSnapshot a, ContainerKey c) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("container_id", c.cgroup().containerId());
        PodFields pod = PodFields.of(a, identity);
        podLabels(pod, labels);
        String name = pod.container().isEmpty() ? c.name() : pod.container();
        labels.put("container", name);
        return new AlertSubject(AlertLevel.CONTAINER, pod.pod().isEmpty() ? name
                : pod.namespace() + "/" + pod.pod() + "/" + name, labels);
    }

    private AlertSubject pod(AccountSnapshot a, PodKey p) {
        Map<String, String> labels = new LinkedHashMap<>();
        podLabels(PodFields.of(a, identity), labels);
        String name = p.namespace().isEmpty() ? "pod:" + p.uid() : p.namespace() + "/" + p.podName();
        return new AlertSubject(AlertLevel.POD, name, labels);
    }

    private static void podLabels(PodFields pod, Map<String, String> labels) {
        if (!pod.pod().isEmpty()) {
            labels.put("namespace", pod.namespace());
            labels.put("pod", pod.pod());
            labels.put("pod_uid", pod.podUid());
        }
    }
}
