package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.host.HostFiles;
import io.podhogs.host.LinkEvents;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The host's interfaces read again only when the kernel says a link changed: on this host's own
 * /sys and netlink, with a veth pair the test makes and removes. Each change the engine must
 * follow (a device created, set up, enslaved to a bridge, deleted) is seen at the next look, and
 * a look with no change in between reads nothing (the same list, not an equal one).
 */
class NetInterfacesWatchTest {

    @Test
    void theListIsReadAgainExactlyWhenALinkChanged() {
        TestNet.requireUsable();
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 9999));
        String a = "phw" + tag + "a";
        String b = "phw" + tag + "b";
        String bridge = "phw" + tag + "br";
        try (NetInterfaces interfaces = NetInterfaces.watched(HostFiles.system())) {
            List<NetInterface> before = interfaces.list();
            assertSame(before, interfaces.list(), "no link changed: the list read before");

            Shell.run("ip", "link", "add", a, "type", "veth", "peer", "name", b);
            NetInterface made = named(interfaces.list(), a).orElseThrow(() -> new AssertionError(a + " listed once made"));
            assertTrue(!made.up(), "made down");
            List<NetInterface> withPair = interfaces.list();
            assertSame(withPair, interfaces.list());

            Shell.run("ip", "link", "set", a, "up");
            assertTrue(named(interfaces.list(), a).orElseThrow().up(), a + " up once set up");

            Shell.run("ip", "link", "add", bridge, "type", "bridge");
            Shell.run("ip", "link", "set", a, "master", bridge);
            assertTrue(named(interfaces.list(), a).orElseThrow().enslaved(), a + " a bridge port once enslaved");

            Shell.run("ip", "link", "del", a);
            assertEquals(Optional.empty(), named(interfaces.list(), a), "gone once deleted");
            assertEquals(Optional.empty(), named(interfaces.list(), b), "its peer with it");
        } finally {
            Shell.runQuietly("ip", "link", "del", a);
            Shell.runQuietly("ip", "link", "del", bridge);
        }
    }

    @Test
    void aSubscriptionSaysNothingChangedUntilALinkDoes() {
        TestNet.requireUsable();
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 9999));
        String a = "phw" + tag + "c";
        try (LinkEvents events = LinkEvents.open().orElseThrow(() -> new AssertionError("netlink on this host"))) {
            events.changed(); // whatever came before
            assertTrue(!events.changed(), "nothing since the last look");
            Shell.run("ip", "link", "add", a, "type", "veth", "peer", "name", a + "p");
            assertTrue(events.changed(), "a link made");
            assertTrue(!events.changed(), "taken: nothing since");
        } finally {
            Shell.runQuietly("ip", "link", "del", a);
        }
    }

    private static Optional<NetInterface> named(List<NetInterface> list, String name) {
        return list.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
