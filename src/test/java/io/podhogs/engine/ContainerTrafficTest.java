package io.podhogs.engine;

import static io.podhogs.engine.EngineHarness.ifindex;
import static io.podhogs.engine.EngineHarness.onInterface;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ContainerAccounts;
import io.podhogs.accounting.ContainerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ContainerInfo;
import io.podhogs.identity.DockerContainers;
import io.podhogs.identity.QosClass;
import io.podhogs.testing.Counters;
import io.podhogs.testing.DockerHost;
import io.podhogs.testing.Shell;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real containers on the real Docker engine: a server and a client exchange traffic over docker0,
 * and the host fetches from the server too. Per container, the bytes are exact against the
 * kernel's counters of its veth, with names and labels from the Docker API, and the same without
 * them.
 */
class ContainerTrafficTest {
    private final DockerHost docker = new DockerHost();
    private EngineHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
        docker.close();
    }

    private static Traffic farSide(Traffic hostEnd) {
        return new Traffic(hostEnd.receivedBytes(), hostEnd.receivedPackets(), hostEnd.sentBytes(), hostEnd.sentPackets());
    }

    private static AccountSnapshot row(List<AccountSnapshot> rows, String containerId) {
        return rows.stream().filter(r -> r.key() instanceof ContainerKey c && c.cgroup().containerId().equals(containerId))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + containerId + " in " + rows));
    }

    @Test
    void twoContainersAndTheHostAreExactPerContainerWithNamesOrWithout() throws Exception {
        harness = new EngineHarness(); // every device: the containers' veths come after the start
        String uid = UUID.randomUUID().toString();
        String server = docker.run(List.of("--name", docker.name("srv"), "--label", "com.docker.compose.service=srv",
                        "--cgroup-parent", "/kubepods/burstable/pod" + uid),
                "sh", "-c", "mkdir -p /www && dd if=/dev/zero of=/www/blob bs=1k count=2000 2>/dev/null"
                        + " && exec httpd -f -p 8080 -h /www");
        String ip = Shell.run("docker", "inspect", "-f", "{{.NetworkSettings.IPAddress}}", server).trim();
        String client = docker.run(List.of("--name", docker.name("cli")),
                "sh", "-c", "sleep 1; for i in 1 2 3; do wget -q -O /dev/null http://" + ip + ":8080/blob; done;"
                        + " sleep 600");
        // the host fetches once too: a host process, host side of docker0's routed path
        Shell.run("python3", "-c", "import urllib.request;urllib.request.urlopen('http://" + ip + ":8080/blob').read()");
        EngineHarness.sleep(4000); // the client's three fetches are over

        String serverVeth = docker.hostVeth(server);
        String clientVeth = docker.hostVeth(client);
        long serverNetns = docker.netns(server);
        long clientNetns = docker.netns(client);
        EngineSnapshot s = harness.await(snap ->
                        onInterface(snap, ifindex(serverVeth), a -> a.key().netns() == serverNetns)
                                .equals(farSide(Counters.of(serverVeth)))
                        && onInterface(snap, ifindex(clientVeth), a -> a.key().netns() == clientNetns)
                                .equals(farSide(Counters.of(clientVeth)))
                        && snap.resolver().pending() == 0,
                () -> "both containers' sides to match their veths: " + harness.engine.snapshot().accounts());

        // What the kernel counted, as of the snapshot the wait checked (a later read could already
        // hold the link's next control frame).
        Traffic serverTruth = onInterface(s, ifindex(serverVeth), a -> a.key().netns() == serverNetns);
        Traffic clientTruth = onInterface(s, ifindex(clientVeth), a -> a.key().netns() == clientNetns);
        try (DockerContainers names = DockerContainers.follow(DockerHost.SOCKET)) {
            Function<String, String> byName = id -> names.byId(id).map(ContainerInfo::name).orElse(null);
            for (Function<String, String> naming : List.<Function<String, String>>of(byName, id -> null)) {
                List<AccountSnapshot> rows = ContainerAccounts.group(s.accounts(), s.containersByNetns(), naming);
                AccountSnapshot srv = row(rows, server);
                AccountSnapshot cli = row(rows, client);
                assertEquals(serverTruth, srv.on(ifindex(serverVeth)), "the server, exact on its veth");
                assertEquals(clientTruth, cli.on(ifindex(clientVeth)), "the client, exact on its veth");
                assertEquals(srv.total(), srv.on(ifindex(serverVeth)), "and counted nowhere else");
                assertEquals(cli.total(), cli.on(ifindex(clientVeth)), "and counted nowhere else");
                assertTrue(cli.receivedBytes() > 3 * 2_048_000 && srv.sentBytes() > 4 * 2_048_000,
                        "three fetches by the client and one by the host: " + srv + " " + cli);
            }
            List<AccountSnapshot> named = ContainerAccounts.group(s.accounts(), s.containersByNetns(), byName);
            assertEquals(docker.name("srv"), ((ContainerKey) row(named, server).key()).name());
            assertEquals(docker.name("cli"), ((ContainerKey) row(named, client).key()).name());
            assertEquals("srv", names.byId(server).orElseThrow().labels().get("com.docker.compose.service"));
            List<AccountSnapshot> unnamed = ContainerAccounts.group(s.accounts(), s.containersByNetns(), id -> null);
            assertEquals("container:" + server.substring(0, 12), ((ContainerKey) row(unnamed, server).key()).name());
        }
        // Docker with a kubelet-style cgroup parent: the pod UID and QoS class are read from the path.
        assertEquals(new CgroupIdentity("", server, uid, QosClass.BURSTABLE),
                row(ContainerAccounts.group(s.accounts(), s.containersByNetns(), id -> null), server).cgroup());
        assertEquals(new CgroupIdentity("docker", client, "", QosClass.NONE),
                row(ContainerAccounts.group(s.accounts(), s.containersByNetns(), id -> null), client).cgroup());
    }
}
