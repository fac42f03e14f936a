package io.podhogs.identity.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.podhogs.identity.Workload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A pod's workload: its controlling owner, and that owner's own controller for the two kinds
 * people never name (a Deployment's ReplicaSet, a CronJob's Job), read with one get per owner and
 * cached (an owner's owner does not change). Without the right to get them (RBAC) or without an
 * answer, names are followed instead: a Deployment's ReplicaSet is named after the Deployment and
 * the pod's pod-template-hash label; a Job stays a Job. Called off the packet path, by the
 * identity thread only.
 */
final class WorkloadResolver {
    private static final Logger LOG = Logger.getLogger(WorkloadResolver.class);

    private final KubernetesClient client;
    private final Map<String, Workload> byOwnerUid = new HashMap<>();
    private boolean refusalLogged;

    WorkloadResolver(KubernetesClient client) {
        this.client = client;
    }

    Workload of(Pod pod) {
        Optional<OwnerReference> controller = controller(pod);
        if (controller.isEmpty()) {
            return new Workload("Pod", pod.getMetadata().getName());
        }
        OwnerReference ref = controller.get();
        if (!ref.getKind().equals("ReplicaSet") && !ref.getKind().equals("Job")) {
            return new Workload(ref.getKind(), ref.getName());
        }
        String key = ref.getUid() == null ? ref.getName() : ref.getUid();
        Workload known = byOwnerUid.get(key);
        if (known != null) {
            return known;
        }
        Answer answer = ownersController(pod, ref);
        if (answer.final_()) {
            byOwnerUid.put(key, answer.workload()); // a failure that may pass is asked again next time
        }
        return answer.workload();
    }

    /** @param final_ whether asking again would give the same (an answer, a 403, a 404) */
    private record Answer(Workload workload, boolean final_) {
    }

    /** The workload as far as the pod's own owner references and names tell, without asking the API. */
    static Workload withoutApi(Pod pod) {
        return controller(pod).map(ref -> byName(pod, ref)).orElse(new Workload("Pod", pod.getMetadata().getName()));
    }

    private static Optional<OwnerReference> controller(Pod pod) {
        List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty()
                : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst()
                        .or(() -> refs.stream().findFirst());
    }

    /** Forgets owners no pod names any more. */
    void retain(Set<String> ownerUids) {
        byOwnerUid.keySet().retainAll(ownerUids);
    }

    private Answer ownersController(Pod pod, OwnerReference ref) {
        String namespace = pod.getMetadata().getNamespace();
        try {
            HasMetadata owner = ref.getKind().equals("ReplicaSet")
                    ? client.apps().replicaSets().inNamespace(namespace).withName(ref.getName()).get()
                    : client.batch().v1().jobs().inNamespace(namespace).withName(ref.getName()).get();
            if (owner != null) {
                List<OwnerReference> up = owner.getMetadata().getOwnerReferences();
                return new Answer(up == null ? new Workload(ref.getKind(), ref.getName())
                        : up.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst()
                                .map(r -> new Workload(r.getKind(), r.getName()))
                                .orElse(new Workload(ref.getKind(), ref.getName())), true);
            }
            return new Answer(byName(pod, ref), true); // gone already: its name is all there is
        } catch (KubernetesClientException e) {
            if (!refusalLogged) {
                refusalLogged = true;
                LOG.warnf("cannot read %s %s/%s (%s): workloads are named from the pods' owner names instead;"
                        + " grant get on replicasets and jobs for exact ones", ref.getKind(), namespace, ref.getName(),
                        e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode());
            }
            return new Answer(byName(pod, ref), e.getCode() == 403 || e.getCode() == 404);
        }
    }

    /** The Deployment controller names its ReplicaSets "deployment-hash" and labels the pods with the hash. */
    static Workload byName(Pod pod, OwnerReference ref) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        String hash = labels.get("pod-template-hash");
        if (ref.getKind().equals("ReplicaSet") && hash != null && ref.getName().endsWith("-" + hash)) {
            return new Workload("Deployment", ref.getName().substring(0, ref.getName().length() - hash.length() - 1));
        }
        return new Workload(ref.getKind(), ref.getName());
    }

    static Set<String> ownerKeys(List<Pod> pods) {
        Map<String, Boolean> keys = new HashMap<>();
        for (Pod p : pods) {
            List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
            if (refs != null) {
                refs.forEach(r -> keys.put(r.getUid() == null ? r.getName() : r.getUid(), true));
            }
        }
        return keys.keySet();
    }
}
