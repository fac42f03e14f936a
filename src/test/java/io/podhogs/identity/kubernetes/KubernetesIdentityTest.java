package io.podhogs.identity.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.podhogs.capture.Addresses;
import io.podhogs.identity.Cidr;
import io.podhogs.identity.PodDirectory;
import io.podhogs.identity.PodInfo;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import io.podhogs.identity.Workload;
import io.podhogs.testing.ApiObjects;
import io.podhogs.testing.ApiObjects.Container;
import io.podhogs.testing.Await;
import io.podhogs.testing.MockApi;
import io.podhogs.testing.MockApi.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The informers against fabric8's mock API server: what this node's pods and the cluster's ranges become. */
class KubernetesIdentityTest {
    private static final String NODE = "node-1";
    private static final String ID_WEB = "a".repeat(64);
    private static final String ID_SIDECAR = "b".repeat(64);
    private static final String ID_DB = "c".repeat(64);

    private MockApi api = MockApi.start();
    private MockApi restarted;
    private KubernetesIdentity identity;

    @AfterEach
    void tearDown() {
        if (identity != null) {
            identity.close();
        }
        api.close();
        if (restarted != null) {
            restarted.close();
        }
    }

    private static Pod web(String uid, Map<String, String> labels) {
        return ApiObjects.pod(uid, "shop", "web-5d8f7c9b4-x2x9q", NODE, labels, "ReplicaSet", "web-5d8f7c9b4",
                List.of("10.244.1.5", "fd00:10:244:1::5"), List.of(new Container("nginx", "containerd://" + ID_WEB),
                        new Container("envoy", "cri-o://" + ID_SIDECAR.toUpperCase())));
    }

    private static Pod db() {
        return ApiObjects.pod("uid-db", "shop", "db-0", NODE, Map.of("app", "db"), "StatefulSet", "db",
                List.of("10.244.1.6"), List.of(new Container("postgres", "docker://" + ID_DB)));
    }

    private PodDirectory await(String what, Predicate<PodDirectory> condition) {
        return Await.until(Duration.ofSeconds(15), identity::pods, condition,
                (PodDirectory d) -> what + "; pods: " + d.pods());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private KubernetesClient clientWithOwners() {
        KubernetesClient client = api.client();
        String rsUid = List.of(web("uid-web", Map.of())).get(0).getMetadata().getOwnerReferences().get(0).getUid();
        client.apps().replicaSets().inNamespace("shop").resource(new ReplicaSetBuilder().withNewMetadata()
                .withName("web-5d8f7c9b4").withNamespace("shop").withUid(rsUid)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                        .withName("web").withUid("uid-deploy").withController(true).build())
                .endMetadata().build()).create();
        return client;
    }

    @Test
    void thisNodesPodsAreAskedForWithTheNodesFieldSelectorAndNamedWithTheirWorkloads() {
        api.nodePods(NODE, List.of(web("uid-web", Map.of("app", "web", "pod-template-hash", "5d8f7c9b4")), db()));
        identity = KubernetesIdentity.start(clientWithOwners(), KubernetesOptions.forNode(NODE));

        PodDirectory pods = await("both pods", d -> d.pods().size() == 2 && d.synced());
        PodInfo web = pods.byUid("uid-web").orElseThrow();
        assertEquals("shop/web-5d8f7c9b4-x2x9q", web.qualifiedName());
        assertEquals(new Workload("Deployment", "web"), web.workload(), "ReplicaSet followed to its Deployment");
        assertEquals(Map.of("app", "web", "pod-template-hash", "5d8f7c9b4"), web.labels());
        assertEquals(List.of("10.244.1.5", "fd00:10:244:1::5"), web.podIps());
        assertEquals(NODE, web.node());
        assertEquals("nginx", pods.containerName(ID_WEB), "containerd:// ID");
        assertEquals("envoy", pods.containerName(ID_SIDECAR), "cri-o:// ID, upper case in the status, lower in cgroups");
        assertEquals(new Workload("StatefulSet", "db"), pods.byContainerId(ID_DB).orElseThrow().workload());
        assertEquals("uid-db", pods.pod("", ID_DB).orElseThrow().uid(), "by container ID when the cgroup names no pod");

        List<String> asked = api.requests();
        assertTrue(asked.contains("GET /api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&resourceVersion=0"), asked::toString);
        assertTrue(asked.stream().filter(r -> r.startsWith("GET /api/v1/pods?")).allMatch(r -> r.contains("fieldSelector=spec.nodeName%3Dnode-1")),
                () -> "never every pod of the cluster without --cluster-pod-index: " + asked);
    }

    @Test
    void withoutTheRightToReadReplicaSetsTheDeploymentIsNamedFromThePodTemplateHash() {
        api.server().expect().get().withPath("/apis/apps/v1/namespaces/shop/replicasets/web-5d8f7c9b4")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}").always();
        Pod bare = ApiObjects.pod("uid-bare", "shop", "debug", NODE, Map.of(), null, null, List.of("10.244.1.9"), List.of());
        Pod job = ApiObjects.pod("uid-job", "shop", "report-28999-abcde", NODE, Map.of(), "Job", "report-28999",
                List.of("10.244.1.10"), List.of());
        api.nodePods(NODE, List.of(web("uid-web", Map.of("pod-template-hash", "5d8f7c9b4")), bare, job));
        KubernetesClient client = api.client();
        String jobUid = job.getMetadata().getOwnerReferences().get(0).getUid();
        client.batch().v1().jobs().inNamespace("shop").resource(new JobBuilder().withNewMetadata().withName("report-28999")
                .withNamespace("shop").withUid(jobUid).withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1").withKind("CronJob").withName("report").withUid("uid-cron")
                        .withController(true).build()).endMetadata().build()).create();
        identity = KubernetesIdentity.start(client, KubernetesOptions.forNode(NODE));

        PodDirectory pods = await("three pods", d -> d.pods().size() == 3);
        assertEquals(new Workload("Deployment", "web"), pods.byUid("uid-web").orElseThrow().workload());
        assertEquals(new Workload("Pod", "debug"), pods.byUid("uid-bare").orElseThrow().workload());
        assertEquals(new Workload("CronJob", "report"), pods.byUid("uid-job").orElseThrow().workload(),
                "a Job followed to its CronJob");
    }

    @Test
    void aLabelChangeADeletionAndARecreationComeThroughTheWatch() {
        Pod relabelled = new PodBuilder(web("uid-web", Map.of("app", "web", "tier", "gold")))
                .editMetadata().withResourceVersion("2").endMetadata().build();
        Pod deleted = new PodBuilder(db()).editMetadata().withResourceVersion("3").endMetadata().build();
        Pod recreated = new PodBuilder(ApiObjects.pod("uid-db-2", "shop", "db-0", NODE, Map.of("app", "db"),
                "StatefulSet", "db", List.of("10.244.1.7"), List.of(new Container("postgres", "containerd://" + "d".repeat(64)))))
                .editMetadata().withResourceVersion("4").endMetadata().build();
        api.nodePods(NODE, List.of(web("uid-web", Map.of("app", "web", "tier", "silver")), db()),
                new Event(1500, "MODIFIED", relabelled), new Event(2500, "DELETED", deleted),
                new Event(3500, "ADDED", recreated));
        identity = KubernetesIdentity.start(api.client(), KubernetesOptions.forNode(NODE).withGrace(Duration.ofSeconds(2)));

        await("the first list", d -> d.byUid("uid-web").map(p -> p.labels().get("tier")).orElse("").equals("silver"));
        await("the new label", d -> d.byUid("uid-web").map(p -> p.labels().get("tier")).orElse("").equals("gold"));
        PodDirectory afterDelete = await("the deletion", d -> d.byUid("uid-db").map(PodInfo::deleted).orElse(false));
        PodInfo gone = afterDelete.byUid("uid-db").orElseThrow();
        assertEquals(new Workload("StatefulSet", "db"), gone.workload(), "a deleted pod keeps its names");
        assertEquals("uid-db", afterDelete.pod("", ID_DB).orElseThrow().uid(), "and its containers");
        assertFalse(afterDelete.pastGrace(gone, Instant.now()), "within its grace period");
        assertTrue(afterDelete.pastGrace(gone, gone.deletedAt().plusSeconds(2)), "after it");

        PodDirectory after = await("the new pod of the same name", d -> d.byUid("uid-db-2").isPresent());
        assertTrue(after.byUid("uid-db").orElseThrow().deleted(), "the old pod is another pod, still deleted");
        assertFalse(after.byUid("uid-db-2").orElseThrow().deleted());
    }

    @Test
    void theApiServerGoingAwayKeepsWhatWasKnownAndNewPodsComeWhenItIsBack() {
        api.nodePods(NODE, List.of(db()));
        identity = KubernetesIdentity.start(api.client(), KubernetesOptions.forNode(NODE));
        await("the first pod", d -> d.byUid("uid-db").isPresent() && identity.watching());
        int port = api.port();

        api.stop();
        sleep(1500);
        assertTrue(identity.pods().byUid("uid-db").isPresent(), "what was known stays while the API is away");
        assertFalse(identity.pods().byUid("uid-db").orElseThrow().deleted());

        restarted = MockApi.preparedOn(port);
        // It comes back with its store as it was, and the pod made since: the watch from where it
        // was tells of it.
        Pod made = new PodBuilder(web("uid-web", Map.of("app", "web"))).editMetadata().withResourceVersion("2")
                .endMetadata().build();
        restarted.nodePods(NODE, List.of(db(), made), new Event(100, "ADDED", made));
        restarted.listen();
        await("the pod made while the API was away", d -> d.byUid("uid-web").isPresent());
        assertFalse(identity.pods().byUid("uid-db").orElseThrow().deleted(), "the old pod is still there");
    }

    @Test
    void anApiServerThatIsNotThereAtStartIsWaitedFor() throws Exception {
        int port = api.port();
        api.stop();
        identity = KubernetesIdentity.start(api.client(), KubernetesOptions.forNode(NODE));
        assertTrue(identity.awaitFirstLists(Duration.ofSeconds(5)), "failing lists do not hold podhogs up");
        assertTrue(identity.pods().pods().isEmpty());

        restarted = MockApi.preparedOn(port);
        restarted.nodePods(NODE, List.of(db()));
        restarted.listen();
        await("the pods once the API server is there", d -> d.byUid("uid-db").isPresent());
    }

    @Test
    void theClusterWidePodIndexNamesOtherNodesPods() {
        api.nodePods(NODE, List.of(db()));
        KubernetesClient client = api.client();
        // The index lists every pod without a field selector: the CRUD store answers that.
        client.pods().inNamespace("shop").resource(ApiObjects.pod("uid-remote", "shop", "cache-1", "node-2", Map.of(),
                "StatefulSet", "cache", List.of("10.244.2.7"), List.of())).create();
        client.pods().inNamespace("shop").resource(db()).create();
        identity = KubernetesIdentity.start(client, new KubernetesOptions(NODE, List.of(), List.of(), true,
                KubernetesOptions.DEFAULT_GRACE, KubernetesOptions.DEFAULT_RESYNC));
        await("this node's pod", d -> d.pods().size() == 1);
        assertEquals(new RemotePeer(RemoteClass.OTHER_NODE_POD, "shop", "cache-1"), peer("10.244.2.7"));
        assertEquals(new RemotePeer(RemoteClass.SAME_NODE_POD, "shop", "db-0"), peer("10.244.1.6"));
        assertEquals(1, identity.pods().pods().size(), "the index names peers; it adds no pods to this node's");
        assertTrue(api.requests().contains("GET /api/v1/pods?resourceVersion=0"), "every pod, listed");
    }

    @Test
    void remoteAddressesAreClassifiedFromNodesServicesAndServiceCidrs() {
        api.nodePods(NODE, List.of(web("uid-web", Map.of("app", "web")), ApiObjects.hostNetworkPod("uid-cni", "kube-system",
                "cni-agent", NODE, List.of())));
        KubernetesClient client = api.client();
        client.nodes().resource(ApiObjects.node(NODE, "192.168.50.11", "10.244.1.0/24", "fd00:10:244:1::/64")).create();
        client.nodes().resource(ApiObjects.node("node-2", "192.168.50.12", "10.244.2.0/24")).create();
        client.services().inNamespace("kube-system").resource(ApiObjects.service("kube-system", "kube-dns", "10.96.0.10")).create();
        client.network().v1().serviceCIDRs().resource(ApiObjects.serviceCidr("kubernetes", "10.96.0.0/12")).create();
        identity = KubernetesIdentity.start(client, new KubernetesOptions(NODE, List.of(Cidr.parse("10.244.0.0/16")),
                List.of(), false, KubernetesOptions.DEFAULT_GRACE, KubernetesOptions.DEFAULT_RESYNC));

        await("the pods", d -> d.pods().size() == 2);
        Await.until(Duration.ofSeconds(10), () -> peer("10.96.0.10").remoteClass() == RemoteClass.SERVICE
                && peer("192.168.50.12").remoteClass() == RemoteClass.NODE && peer("10.100.0.1").remoteClass() == RemoteClass.SERVICE,
                () -> "the cluster's objects to reach the classifier");
        assertEquals(new RemotePeer(RemoteClass.SAME_NODE_POD, "shop", "web-5d8f7c9b4-x2x9q"), peer("10.244.1.5"));
        assertEquals(new RemotePeer(RemoteClass.SAME_NODE_POD, "shop", "web-5d8f7c9b4-x2x9q"), peer("fd00:10:244:1::5"));
        assertEquals(RemotePeer.of(RemoteClass.SAME_NODE_POD), peer("10.244.1.200"), "this node's podCIDR");
        assertEquals(RemotePeer.of(RemoteClass.OTHER_NODE_POD), peer("10.244.2.3"), "node-2's podCIDR");
        assertEquals(RemotePeer.of(RemoteClass.OTHER_NODE_POD), peer("10.244.77.3"), "the configured cluster range");
        assertEquals(new RemotePeer(RemoteClass.SERVICE, "kube-system", "kube-dns"), peer("10.96.0.10"));
        assertEquals(RemotePeer.of(RemoteClass.SERVICE), peer("10.100.0.1"), "the ServiceCIDR");
        assertEquals(new RemotePeer(RemoteClass.NODE, "", "node-1"), peer("192.168.50.11"));
        assertEquals(RemotePeer.of(RemoteClass.EXTERNAL), peer("203.0.113.9"));
    }

    @Test
    void nothingIsClassifiedUntilEveryListIsInEvenWhileOneFails() throws Exception {
        // The Services' list fails twice (a server error), then the store answers it.
        api.server().expect().get().withPath("/api/v1/services?resourceVersion=0")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500}").times(2);
        api.nodePods(NODE, List.of(db()));
        KubernetesClient client = api.client();
        client.services().inNamespace("kube-system").resource(ApiObjects.service("kube-system", "kube-dns", "10.96.0.10")).create();
        identity = KubernetesIdentity.start(client, KubernetesOptions.forNode(NODE));
        assertTrue(identity.awaitFirstLists(Duration.ofSeconds(10)), "a failing list does not hold the start up");
        io.podhogs.identity.RemoteClassifier first = Await.until(Duration.ofSeconds(15), Duration.ofMillis(1),
                identity::classifier, io.podhogs.identity.RemoteClassifier::active, "the classifier on, once the Services' list came");
        long[] dns = Addresses.parse("10.96.0.10");
        assertEquals(new RemotePeer(RemoteClass.SERVICE, "kube-system", "kube-dns"), first.classify(dns[0], dns[1]),
                "the first classifier already has the Services: none was made while their list failed");
    }

    @Test
    void aClusterWithoutServiceCidrObjectsStillClassifiesByServicesAndConfiguredRanges() {
        api.server().expect().get().withPath("/apis/networking.k8s.io/v1/servicecidrs?resourceVersion=0")
                .andReturn(404, "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}").always();
        api.nodePods(NODE, List.of(db()));
        KubernetesClient client = api.client();
        client.services().inNamespace("kube-system").resource(ApiObjects.service("kube-system", "kube-dns", "10.96.0.10")).create();
        identity = KubernetesIdentity.start(client, new KubernetesOptions(NODE, List.of(), List.of(Cidr.parse("10.96.0.0/12")),
                false, KubernetesOptions.DEFAULT_GRACE, KubernetesOptions.DEFAULT_RESYNC));
        await("the pod", d -> d.pods().size() == 1);
        Await.until(Duration.ofSeconds(10), () -> peer("10.96.0.10").named(), () -> "the Service to reach the classifier");
        assertEquals(RemotePeer.of(RemoteClass.SERVICE), peer("10.97.1.1"), "the configured Service range");
        assertEquals(new RemotePeer(RemoteClass.SAME_NODE_POD, "shop", "db-0"), peer("10.244.1.6"));
    }

    /** The peer at {@code address}, once every first list is in and the classifier is on. */
    private RemotePeer peer(String address) {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> identity.classifier().active(),
                () -> "the classifier to come on");
        long[] a = Addresses.parse(address);
        return identity.classifier().classify(a[0], a[1]);
    }
}
