package io.podhogs.engine;

import static io.podhogs.engine.EngineHarness.ifindex;
import static io.podhogs.engine.EngineHarness.onInterface;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ContainerAccounts;
import io.podhogs.accounting.NamespaceKey;
import io.podhogs.accounting.PodAccounts;
import io.podhogs.accounting.PodKey;
import io.podhogs.accounting.RetiredPodsKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import io.podhogs.identity.kubernetes.KubernetesIdentity;
import io.podhogs.identity.kubernetes.KubernetesOptions;
import io.podhogs.identity.Workload;
import io.podhogs.testing.ApiObjects;
import io.podhogs.testing.ApiObjects.Container;
import io.podhogs.testing.Cgroups;
import io.podhogs.testing.Counters;
import io.podhogs.testing.MockApi;
import io.podhogs.testing.MockApi.Event;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Bridge;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pods made of real processes in kubelet-shaped cgroups and real network namespaces, named by
 * fabric8's mock API server: exact bytes per pod against the kernel's veth counters, exact bytes
 * per remote class against iptables counters in the pod's own namespace, a hostNetwork pod by its
 * cgroup, the API server going away mid-run, a label change, and a deleted pod's totals moving to
 * its workload's deleted pods without its namespace's total moving.
 */
class PodTrafficTest extends EngineTrafficFixture {
    private static final String NODE = "podhogs-node-1";
    /** Ethernet header bytes on the veth, which iptables's IP byte counts leave out. */
    private static final int ETHERNET = 14;

    private final Cgroups cgroups = new Cgroups();
    private MockApi api = MockApi.start();
    private MockApi restarted;
    private KubernetesIdentity identity;

    @AfterEach
    void closeIdentity() {
        if (identity != null) {
            identity.close();
        }
        api.close();
        if (restarted != null) {
            restarted.close();
        }
    }

    @AfterEach
    void removeCgroups() {
        net.close(); // the processes first: a cgroup with a process in it cannot be removed
        cgroups.close();
    }

    private List<AccountSnapshot> podLevel(EngineSnapshot s) {
        return PodAccounts.pods(ContainerAccounts.group(s.accounts(), s.containersByNetns(), id -> null), identity.pods());
    }

    private static Optional<AccountSnapshot> pod(List<AccountSnapshot> rows, String uid) {
        return rows.stream().filter(a -> a.key() instanceof PodKey p && p.uid().equals(uid)).findFirst();
    }

    private static Traffic counted(Supplier<long[]> out, Supplier<long[]> in) {
        long[] o = out.get();
        long[] i = in.get();
        return new Traffic(o[1] + ETHERNET * o[0], o[0], i[1] + ETHERNET * i[0], i[0]);
    }

    @Test
    void podsAreExactPerPodAndPerRemoteClassThroughAnApiOutageALabelChangeAndADeletion() throws Exception {
        harness = new EngineHarness(); // every device, from before the pods exist
        Bridge bridge = net.createBridge();
        Host web = net.createPod(bridge, 1);
        Host db = net.createPod(bridge, 2);
        Host world = net.createHost();
        net.bringUp(world);
        net.masquerade(bridge, world);
        // The rest of the cluster and the internet, all behind one veth: another node's pod, a
        // Service's cluster IP, another node, and the world's own address (outside the cluster).
        Map<RemoteClass, String> remotes = new LinkedHashMap<>();
        remotes.put(RemoteClass.SAME_NODE_POD, db.peerV4());
        remotes.put(RemoteClass.OTHER_NODE_POD, "10.233.2.5");
        remotes.put(RemoteClass.SERVICE, "10.233.96.10");
        remotes.put(RemoteClass.NODE, "10.233.50.12");
        remotes.put(RemoteClass.EXTERNAL, world.peerV4());
        for (String address : List.of("10.233.2.5", "10.233.96.10", "10.233.50.12")) {
            net.addPeerAddress(world, address);
        }

        String webUid = UUID.randomUUID().toString();
        String dbUid = UUID.randomUUID().toString();
        String agentUid = UUID.randomUUID().toString();
        String webId = Cgroups.containerId();
        String dbId = Cgroups.containerId();
        String agentId = Cgroups.containerId();
        Pod webPod = ApiObjects.pod(webUid, "shop", "web-7d9c5-abcde", NODE, Map.of("app", "web", "tier", "silver"),
                "ReplicaSet", "web-7d9c5", List.of(web.peerV4()), List.of(new Container("app", "containerd://" + webId)));
        Pod dbPod = ApiObjects.pod(dbUid, "shop", "db-0", NODE, Map.of("app", "db"), "StatefulSet", "db",
                List.of(db.peerV4()), List.of(new Container("postgres", "containerd://" + dbId)));
        Pod agentPod = ApiObjects.hostNetworkPod(agentUid, "kube-system", "agent-x1", NODE,
                List.of(new Container("agent", "containerd://" + agentId)));
        api.nodePods(NODE, List.of(webPod, dbPod, agentPod));
        KubernetesClient client = api.client();
        client.nodes().resource(ApiObjects.node(NODE, bridge.v4(), "10.232." + bridge.subnet() + ".0/24")).create();
        client.nodes().resource(ApiObjects.node("podhogs-node-2", "10.233.50.12", "10.233.2.0/24")).create();
        client.network().v1().serviceCIDRs().resource(ApiObjects.serviceCidr("kubernetes", "10.233.96.0/20")).create();
        client.services().inNamespace("shop").resource(ApiObjects.service("shop", "search", "10.233.96.10")).create();
        identity = KubernetesIdentity.start(client, KubernetesOptions.forNode(NODE).withGrace(Duration.ofSeconds(1)));
        harness.engine.cluster(identity);
        assertTrue(identity.awaitFirstLists(Duration.ofSeconds(10)), "the API's first lists");
        harness.await(s -> identity.pods().pods().size() == 3 && identity.watching() && identity.classifier().active()
                && identity.classifier().classify(0, io.podhogs.capture.Addresses.parse("10.233.96.10")[1]).named(),
                "the API's pods, nodes and Services");

        // The API server goes away: counting and the names it gave go on.
        int port = api.port();
        api.stop();

        Map<RemoteClass, Supplier<long[]>> out = new LinkedHashMap<>();
        Map<RemoteClass, Supplier<long[]>> in = new LinkedHashMap<>();
        // This node is a node too: what it sends the pod itself (the gateway's own packets).
        Supplier<long[]> fromThisNode = net.countRule(web.ns(), "INPUT", "-s", bridge.v4());
        Supplier<long[]> toThisNode = net.countRule(web.ns(), "OUTPUT", "-d", bridge.v4());
        List<Endpoint> senders = new ArrayList<>();
        int port0 = 5301;
        for (Map.Entry<RemoteClass, String> r : remotes.entrySet()) {
            String p = Integer.toString(port0++);
            String sinkNs = r.getKey() == RemoteClass.SAME_NODE_POD ? db.ns() : world.ns();
            Endpoint sink = r.getKey() == RemoteClass.SAME_NODE_POD
                    ? net.startIn(cgroups.kubeletContainer(dbUid, dbId), sinkNs, "tcp-sink", r.getValue(), p, "--reply", "50000")
                    : net.start(sinkNs, "tcp-sink", r.getValue(), p, "--reply", "50000");
            sink.expect("ready");
            // Everything between the pod and that address, whatever the protocol (ICMP too).
            out.put(r.getKey(), net.countRule(web.ns(), "OUTPUT", "-d", r.getValue()));
            in.put(r.getKey(), net.countRule(web.ns(), "INPUT", "-s", r.getValue()));
            Endpoint sender = net.startIn(cgroups.kubeletContainer(webUid, webId), web.ns(), "tcp-send", r.getValue(), p,
                    "--bytes", "400000", "--hold", "0.3");
            senders.add(sender);
        }
        // The hostNetwork pod: a process in the host's namespace, its pod only by its cgroup.
        Endpoint agentSink = net.start(world.ns(), "tcp-sink", world.peerV4(), "5399", "--reply", "70000");
        agentSink.expect("ready");
        Supplier<long[]> agentOut = net.countRule(null, "OUTPUT", "-d", world.peerV4(), "-p", "tcp", "--dport", "5399");
        Supplier<long[]> agentIn = net.countRule(null, "INPUT", "-s", world.peerV4(), "-p", "tcp", "--sport", "5399");
        Endpoint agent = net.startIn(cgroups.kubeletContainer(agentUid, agentId), null, "tcp-send", world.peerV4(), "5399",
                "--bytes", "300000", "--hold", "0.3");
        for (Endpoint e : senders) {
            e.expect("ready");
            e.expect("done");
        }
        agent.expect("ready");
        agent.expect("done");

        int webVeth = ifindex(web.hostIf());
        int dbVeth = ifindex(db.hostIf());
        EngineSnapshot s = harness.await(snap -> {
            List<AccountSnapshot> rows = podLevel(snap);
            return snap.resolver().pending() == 0
                    && pod(rows, webUid).map(a -> a.total().equals(Counters.farSide(web.hostIf()))).orElse(false)
                    && pod(rows, dbUid).map(a -> a.total().equals(Counters.farSide(db.hostIf()))).orElse(false)
                    && pod(rows, agentUid).map(a -> a.total().equals(counted(agentOut, agentIn))).orElse(false);
        }, () -> "pods to match their veths: " + podLevel(harness.engine.snapshot()) + " web veth "
                + Counters.farSide(web.hostIf()) + " db veth " + Counters.farSide(db.hostIf()) + " agent "
                + counted(agentOut, agentIn));
        List<AccountSnapshot> rows = podLevel(s);
        AccountSnapshot webRow = pod(rows, webUid).orElseThrow();
        assertEquals(new PodKey(webUid, "shop", "web-7d9c5-abcde", new Workload("ReplicaSet", "web-7d9c5"),
                io.podhogs.testing.TestNet.netnsInode(web.ns())), webRow.key(), "named while the API is away");
        assertEquals(webRow.total(), webRow.on(webVeth), "all of the pod on its veth");
        for (RemoteClass c : remotes.keySet()) {
            Traffic expected = counted(out.get(c), in.get(c));
            if (c == RemoteClass.NODE) {
                expected = expected.plus(counted(toThisNode, fromThisNode));
            }
            assertEquals(expected, webRow.with(c).total(),
                    () -> "bytes with " + c + ", exact: " + webRow.byRemote());
        }
        Map<RemotePeer, Traffic> named = new LinkedHashMap<>();
        webRow.byRemote().forEach((peer, t) -> {
            if (peer.named()) {
                named.put(peer, t);
            }
        });
        assertTrue(named.keySet().stream().map(p -> p.remoteClass().label() + " " + p.qualifiedName()).toList()
                .containsAll(List.of("same_node_pod shop/db-0", "service shop/search", "node podhogs-node-2")),
                () -> "the peers the cluster names: " + named);
        assertTrue(named.keySet().stream().allMatch(p -> p.remoteClass() == RemoteClass.NODE
                || p.qualifiedName().equals("shop/db-0") || p.qualifiedName().equals("shop/search")), named::toString);
        AccountSnapshot dbRow = pod(rows, dbUid).orElseThrow();
        assertEquals(dbRow.total(), dbRow.on(dbVeth));
        assertEquals(webRow.with(RemoteClass.SAME_NODE_POD).total().sentBytes(),
                dbRow.with(RemoteClass.SAME_NODE_POD).total().receivedBytes(), "web's bytes to db are db's from web");
        AccountSnapshot agentRow = pod(rows, agentUid).orElseThrow();
        assertEquals(0, agentRow.key().netns(), "a hostNetwork pod is in the node's namespace");
        assertEquals(agentRow.total(), agentRow.with(RemoteClass.EXTERNAL).total());
        Traffic hostSideOfWorld = onInterface(s, ifindex(world.hostIf()), a -> a.key().netns() == 0 && a.isProcess());
        assertEquals(agentRow.total(), hostSideOfWorld, "the node's process bytes on that veth are the agent pod's, none another's");

        // Back, with the label changed and the db pod deleted once its processes are gone. With every
        // endpoint and link gone, nothing more can be counted: the totals are final.
        net.close();
        EngineHarness.sleep(1000);
        EngineSnapshot before = harness.engine.snapshot();
        Traffic shopBefore = namespaceTotal(before, "shop");
        Traffic dbBefore = pod(podLevel(before), dbUid).orElseThrow().total();
        Pod relabelled = new PodBuilder(webPod).editMetadata().withResourceVersion("2")
                .addToLabels("tier", "gold").endMetadata().build();
        Pod deleted = new PodBuilder(dbPod).editMetadata().withResourceVersion("3").endMetadata().build();
        restarted = MockApi.preparedOn(port);
        restarted.nodePods(NODE, List.of(webPod, dbPod, agentPod), new Event(100, "MODIFIED", relabelled),
                new Event(300, "DELETED", deleted));
        restarted.listen();
        // The informers retry with a backoff that doubles up to 32 reconnect intervals.
        harness.await(snap -> identity.pods().byUid(webUid).map(p -> "gold".equals(p.labels().get("tier"))).orElse(false),
                () -> "the label change, once the API is back", Duration.ofSeconds(30));
        EngineSnapshot after = harness.await(snap -> pod(podLevel(snap), dbUid).isEmpty(),
                () -> "the deleted pod's accounts to retire after its grace: " + podLevel(harness.engine.snapshot()));
        AccountSnapshot retired = podLevel(after).stream().filter(a -> a.key().equals(
                new RetiredPodsKey("shop", new Workload("StatefulSet", "db")))).findFirst().orElseThrow();
        assertEquals(dbBefore, retired.total(), "the deleted pod's totals, kept under its workload");
        assertEquals(shopBefore, namespaceTotal(after, "shop"), "the namespace's total does not go down");
        assertTrue(pod(podLevel(after), webUid).isPresent());
        assertFalse(identity.pods().byUid(webUid).orElseThrow().deleted());
    }

    private Traffic namespaceTotal(EngineSnapshot s, String namespace) {
        return PodAccounts.namespaces(podLevel(s)).stream().filter(a -> a.key().equals(new NamespaceKey(namespace)))
                .findFirst().orElseThrow().total();
    }
}
