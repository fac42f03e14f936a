package io.podhogs.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own answer to "which namespace is behind this veth": real namespaces whose veths'
 * far ends all have the same index, as CNI plugins make pods'.
 */
class NetnsIdsTest {
    private final TestNet net = new TestNet();

    @AfterEach
    void tearDown() {
        net.close();
    }

    private static int ifindex(String iface) throws Exception {
        return Integer.parseInt(Files.readString(Path.of("/sys/class/net", iface, "ifindex")).trim());
    }

    @Test
    void eachVethsPeerNamespaceIsTheOneOfItsOwnIdThoughTheirIndexesAreAlike() throws Exception {
        TestNet.Bridge bridge = net.createBridge();
        TestNet.Host a = net.createPod(bridge, 1, true);
        TestNet.Host b = net.createPod(bridge, 2, true);
        try (NetnsIds ids = NetnsIds.open().orElseThrow()) {
            int idA = ids.linkNetnsid(ifindex(a.hostIf()));
            int idB = ids.linkNetnsid(ifindex(b.hostIf()));
            assertTrue(idA >= 0 && idB >= 0, "both veths have a peer in another namespace: " + idA + ", " + idB);
            assertNotEquals(idA, idB);
            assertEquals(Optional.of(idA), ids.netnsid(Path.of("/run/netns", a.ns())));
            assertEquals(Optional.of(idB), ids.netnsid(Path.of("/run/netns", b.ns())));
            assertEquals(NetnsIds.NONE, ids.linkNetnsid(ifindex(bridge.name())), "a bridge has no peer");
            assertEquals(NetnsIds.NONE, ids.linkNetnsid(1), "nor has lo");
            assertEquals(Optional.empty(), ids.netnsid(Path.of("/proc/0/ns/net")), "no such file");
            String other = "phids" + ProcessHandle.current().pid();
            Shell.run("ip", "netns", "add", other);
            try {
                assertEquals(Optional.of(NetnsIds.NONE), ids.netnsid(Path.of("/run/netns", other)),
                        "no link joins it to the host: no id");
            } finally {
                Shell.run("ip", "netns", "del", other);
            }
            assertThrows(IllegalStateException.class, () -> ids.linkNetnsid(999_999), "no such link");
        }
    }
}
