package io.podhogs.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.podhogs.capture.Addresses;
import io.podhogs.testing.Await;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Names from DNS answers (through the ring, by interface and under any), reverse DNS asked off the
 * caller's thread, and every bound counted: the ring, the name table, reverse DNS's queue.
 */
class RemoteNamesTest {
    private static final int VETH = 7;
    private static final int ETH0 = 2;
    private static final long[] SHOP = Addresses.parse("10.1.2.3");

    private static byte[] answer(String name, int... address) {
        return DnsMessages.response(0, 1, 1).question(name).pointer(12).record(1, 30, 4).bytes(address).bytes();
    }

    @Test
    void aNameIsTheAnswersOnItsInterfaceElseAnyInterfacesLatest() {
        DnsRing ring = new DnsRing(8);
        try (RemoteNames names = RemoteNames.of(ring, null)) {
            byte[] pods = answer("shop.svc", 10, 1, 2, 3);
            byte[] hosts = answer("shop.example.com", 10, 1, 2, 3);
            ring.offer(pods, 0, pods.length, VETH, false);
            ring.offer(hosts, 0, hosts.length, ETH0, false);
            names.readOnce();
            assertEquals("shop.svc", names.name(VETH, SHOP[0], SHOP[1]), "as the pod's resolver answered it");
            assertEquals("shop.example.com", names.name(ETH0, SHOP[0], SHOP[1]), "as the host's did");
            assertEquals("shop.example.com", names.name(99, SHOP[0], SHOP[1]), "elsewhere: the latest answer");
            long[] other = Addresses.parse("10.9.9.9");
            assertEquals("", names.name(VETH, other[0], other[1]), "no answer, no reverse DNS: no name");
            assertEquals(2, names.stats().answersRead());
        }
    }

    @Test
    void overTcpAnAnswerFollowsItsLength() {
        DnsRing ring = new DnsRing(2);
        byte[] m = answer("tcp.example", 10, 1, 2, 3);
        byte[] framed = new byte[m.length + 2];
        framed[0] = (byte) (m.length >> 8);
        framed[1] = (byte) m.length;
        System.arraycopy(m, 0, framed, 2, m.length);
        try (RemoteNames names = RemoteNames.of(ring, null)) {
            ring.offer(framed, 0, framed.length, ETH0, true);
            names.readOnce();
            assertEquals("tcp.example", names.name(ETH0, SHOP[0], SHOP[1]));
        }
    }

    @Test
    void aFullRingDropsTheAnswerAndCountsIt() {
        DnsRing ring = new DnsRing(2);
        byte[] m = answer("a.example", 1, 2, 3, 4);
        assertEquals(List.of(true, true, false), List.of(ring.offer(m, 0, m.length, 1, false),
                ring.offer(m, 0, m.length, 1, false), ring.offer(m, 0, m.length, 1, false)));
        assertEquals(1, ring.dropped());
        AtomicInteger read = new AtomicInteger();
        assertEquals(2, ring.drain((message, length, ifindex, tcp) -> read.incrementAndGet()));
        assertEquals(true, ring.offer(m, 0, m.length, 1, false), "room again once read");
    }

    @Test
    void theNameTableKeepsTheMostRecentlyUsedAndCountsTheRest() {
        NameTable table = new NameTable(2);
        table.learn(1, 0, 1, "one", 5);
        table.learn(1, 0, 2, "two", 5);
        table.name(1, 0, 1); // used: kept
        table.learn(1, 0, 3, "three", 5);
        assertEquals(4, table.size(), "two addresses, each by interface and under any");
        assertEquals(List.of("one", "three"), List.of(table.name(1, 0, 1).name(), table.name(1, 0, 3).name()));
        assertEquals(null, table.name(1, 0, 2));
        assertEquals(2, table.evicted());
    }

    @Test
    void reverseDnsIsAskedOnItsOwnThreadAndKnownLater() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        ReverseNames reverse = new ReverseNames(address -> {
            asked.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return address.getHostAddress().equals("10.1.2.3") ? "db.example" : address.getHostAddress();
        });
        try (RemoteNames names = RemoteNames.of(new DnsRing(1), reverse)) {
            assertEquals("", names.name(ETH0, SHOP[0], SHOP[1]), "not known yet: the caller does not wait");
            assertEquals("", names.name(ETH0, SHOP[0], SHOP[1]), "asked once, not twice");
            release.countDown();
            Await.until(Duration.ofSeconds(10), () -> names.name(ETH0, SHOP[0], SHOP[1]).equals("db.example"),
                    () -> "the answer, later");
            assertEquals(1, asked.get());
            long[] none = Addresses.parse("10.1.2.4");
            names.name(ETH0, none[0], none[1]);
            Await.until(Duration.ofSeconds(10), () -> asked.get() == 2, () -> "10.1.2.4 asked");
            Thread.sleep(100);
            assertEquals("", names.name(ETH0, none[0], none[1]), "no name: its literal is no name");
            assertEquals(2, asked.get(), "and not asked again: 'none' is cached too");
        }
    }

    @Test
    void aFullReverseQueueCountsWhatItCouldNotAsk() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ReverseNames reverse = new ReverseNames(address -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "";
        });
        try (RemoteNames names = RemoteNames.of(new DnsRing(1), reverse)) {
            for (int i = 0; i < ReverseNames.MAX_QUEUED + 50; i++) {
                names.name(ETH0, 0, Addresses.v4Lo(0x0a000000 + i));
            }
            // One taken by the thread (held in the resolver), MAX_QUEUED waiting, the rest counted.
            assertFalse(names.stats().reverseOverflow() < 49, () -> "overflow " + names.stats().reverseOverflow());
        }
    }

    @Test
    void noneNamesNothing() {
        assertEquals("", RemoteNames.NONE.name(1, SHOP[0], SHOP[1]));
        assertEquals(InetAddress.getLoopbackAddress().getHostAddress(), "127.0.0.1");
    }
}
