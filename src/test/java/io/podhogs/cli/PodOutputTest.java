package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.podhogs.testing.ApiObjects;
import io.podhogs.testing.ApiObjects.Container;
import io.podhogs.testing.Cgroups;
import io.podhogs.testing.MockApi;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Bridge;
import io.podhogs.testing.TestNet.Host;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --by pod as a user of the command line sees it: podhogs finds the cluster through KUBECONFIG
 * (here fabric8's mock API server), this node by --node-name, and shows two pods that talk to each
 * other over a bridge, in trace and JSON.
 */
class PodOutputTest {
    private static final String NODE = "podhogs-cli-node";
    private final TestNet net = new TestNet();
    private final Cgroups cgroups = new Cgroups();
    private final MockApi api = MockApi.start();
    private Path kubeconfig;

    @BeforeEach
    void podsTalking() throws Exception {
        Bridge bridge = net.createBridge();
        Host web = net.createPod(bridge, 1);
        Host db = net.createPod(bridge, 2);
        String webUid = UUID.randomUUID().toString();
        String dbUid = UUID.randomUUID().toString();
        String webId = Cgroups.containerId();
        String dbId = Cgroups.containerId();
        Pod webPod = ApiObjects.pod(webUid, "shop", "web-5d8f7-q2x9z", NODE, Map.of("app", "web", "pod-template-hash", "5d8f7"),
                "ReplicaSet", "web-5d8f7", List.of(web.peerV4()), List.of(new Container("app", "containerd://" + webId)));
        Pod dbPod = ApiObjects.pod(dbUid, "shop", "db-0", NODE, Map.of("app", "db"), "StatefulSet", "db",
                List.of(db.peerV4()), List.of(new Container("postgres", "containerd://" + dbId)));
        api.nodePods(NODE, List.of(webPod, dbPod));
        api.client().nodes().resource(ApiObjects.node(NODE, bridge.v4(), "10.232." + bridge.subnet() + ".0/24")).create();
        kubeconfig = api.kubeconfig();
        net.startIn(cgroups.kubeletContainer(dbUid, dbId), db.ns(), "udp-sink", db.peerV4(), "5401").expect("ready");
        dbAddress = db.peerV4();
        startWeb = () -> {
            TestNet.Endpoint sender = net.startIn(cgroups.kubeletContainer(webUid, webId), web.ns(), "udp-send",
                    db.peerV4(), "5401", "--connected", "--count", "" + DATAGRAMS, "--size", "1000", "--pace", "0.002");
            sender.expect("ready");
            sender.expect("done");
        };
    }

    /** 1000 bytes of UDP, 8 of UDP header, 20 of IP and 14 of Ethernet, on each veth. */
    private static final int DATAGRAMS = 500;
    private static final long SENT = DATAGRAMS * (1000L + 8 + 20 + 14);
    private Runnable startWeb;
    private String dbAddress;

    @AfterEach
    void tearDown() throws Exception {
        net.close();
        cgroups.close();
        api.close();
        Files.deleteIfExists(kubeconfig);
    }

    /**
     * Runs podhogs, and once it has shown its first refresh (capturing, the cluster listed) has web
     * send its datagrams to db, all of them before podhogs's last refresh.
     */
    private Podhogs.Result run(String... args) throws Exception {
        Process p = new ProcessBuilder(Podhogs.command(List.of("env", "KUBECONFIG=" + kubeconfig), args))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        // JSON prints rows only once there are accounts: a host process's datagrams to db make the first.
        TestNet.Endpoint probe = net.start(null, "udp-send", dbAddress, "5401", "--count", "200", "--size", "10",
                "--pace", "0.05");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread errReader = new Thread(() -> {
            try {
                err.append(new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                err.append(e);
            }
        });
        errReader.start();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            boolean started = false;
            String line;
            while ((line = reader.readLine()) != null) {
                out.append(line).append('\n');
                if (!started && !line.isBlank()) {
                    started = true;
                    startWeb.run();
                }
            }
        }
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        errReader.join();
        probe.process().destroy();
        return new Podhogs.Result(p.exitValue(), out.toString(), err.toString());
    }

    @Test
    void traceRowsArePodsWithTheirBytesByRemoteClass() throws Exception {
        Podhogs.Result r = run("-t", "--by", "pod", "--node-name", NODE, "-v", "2", "-c", "4", "-d", "1.5");
        assertEquals(0, r.exit(), r::toString);
        String last = r.out().substring(r.out().lastIndexOf("Refreshing:"));
        String classes = "\\tsame_node_pod=(\\d+)/(\\d+)\\tother_node_pod=0/0\\tservice=0/0\\tnode=\\d+/\\d+"
                + "\\tlink_local=\\d+/\\d+\\texternal=0/0";
        Matcher web = Pattern.compile("(?m)^shop/web-5d8f7-q2x9z/0/0\\t(\\d+)\\t(\\d+)" + classes + "$").matcher(last);
        Matcher db = Pattern.compile("(?m)^shop/db-0/0/0\\t(\\d+)\\t(\\d+)" + classes + "$").matcher(last);
        assertTrue(web.find(), () -> "a row for the web pod with its remote classes\n" + r);
        assertTrue(db.find(), () -> "a row for the db pod\n" + r);
        assertEquals(SENT, Long.parseLong(web.group(3)), () -> "every datagram web sent to a pod of this node\n" + r);
        assertEquals(SENT, Long.parseLong(db.group(4)), () -> "every datagram db received from a pod of this node\n" + r);
    }

    @Test
    void jsonRowsCarryThePodsNamesWorkloadLabelsAndPeers() throws Exception {
        Podhogs.Result r = run("--json", "--by", "pod", "--node-name", NODE, "-c", "4", "-d", "1.5");
        assertEquals(0, r.exit(), r::toString);
        List<Map<?, ?>> last = r.out().lines().<Map<?, ?>>map(l -> (Map<?, ?>) MiniJson.parse(l))
                .filter(o -> !"summary".equals(o.get("kind"))).toList(); // the run's summary is the last object
        String lastTime = (String) last.get(last.size() - 1).get("time");
        Map<?, ?> web = last.stream().filter(o -> lastTime.equals(o.get("time")) && "web-5d8f7-q2x9z".equals(o.get("pod")))
                .findFirst().orElseThrow(() -> new AssertionError("no web pod row\n" + r));
        assertEquals("pod", web.get("kind"));
        assertEquals("shop", web.get("namespace"));
        assertEquals("Deployment", web.get("workload_kind"), "its ReplicaSet followed by the pod-template-hash");
        assertEquals("web", web.get("workload_name"));
        assertEquals(NODE, web.get("node"));
        assertEquals(Map.of("app", "web", "pod-template-hash", "5d8f7"), web.get("labels"));
        Map<?, ?> sameNode = (Map<?, ?>) ((Map<?, ?>) web.get("remote_classes")).get("same_node_pod");
        assertEquals(SENT, ((BigDecimal) sameNode.get("sent_bytes")).longValue(), r::toString);
        assertEquals((long) DATAGRAMS, ((BigDecimal) sameNode.get("sent_packets")).longValue(), r::toString);
        List<?> peers = (List<?>) web.get("remote_peers");
        assertTrue(peers.stream().map(p -> (Map<?, ?>) p).anyMatch(p -> "same_node_pod".equals(p.get("class"))
                && "shop".equals(p.get("namespace")) && "db-0".equals(p.get("name"))
                && p.get("sent_bytes").equals(sameNode.get("sent_bytes"))), () -> "db named as web's peer: " + peers);
    }
}
