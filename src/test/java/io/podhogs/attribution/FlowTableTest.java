package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.Direction;
import io.podhogs.capture.ParsedPacket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The flow table's bookkeeping, which the integration tests rarely reach: growth, release of idle
 * slots (backward-shift deletion must keep every other flow findable), and the overflow counters.
 */
class FlowTableTest {

    private static ParsedPacket udp(int i, Direction direction, int length) {
        ParsedPacket p = new ParsedPacket();
        p.ifindex = 7;
        p.direction = direction;
        p.wireLength = length;
        p.ipVersion = 4;
        p.protocol = ParsedPacket.UDP;
        p.srcLo = Addresses.v4Lo(0x0a000001);
        p.dstLo = Addresses.v4Lo(0x0a000002 + (i >>> 16));
        p.srcPort = 1000 + (i & 0x7fff);
        p.dstPort = 53;
        return p;
    }

    /** Slot of each flow, keyed by the source port that tells the test's flows apart. */
    private static Map<Integer, Integer> slotsByFlow(FlowTable table, FlowTableView view, Map<Integer, Integer> into) {
        for (int i = 0; i < view.newCount(); i++) {
            int slot = view.newSlot(i);
            FlowKey key = table.key(slot);
            into.put((int) (key.remoteLo() - Addresses.v4Lo(0x0a000002)) << 16 | (key.localPort() - 1000), slot);
        }
        return into;
    }

    /** A table whose interface 7 is known to have no far side: these tests are about one side. */
    private static FlowTable hostSideOnly(int capacity) {
        FlowTable table = new FlowTable(capacity, () -> { });
        byte[] noFarSide = new byte[8];
        noFarSide[7] = 1;
        table.noFarSide(noFarSide);
        return table;
    }

    @Test
    void growsWithoutLosingAFlowOrAByte() {
        FlowTable table = hostSideOnly(64);
        FlowTableView view = new FlowTableView();
        Map<Integer, Integer> slots = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1000; i++) {
                table.accept(udp(i, Direction.OUTGOING, 100 + i % 7));
                if (i % 25 == 24) {
                    // An engine tick: the table grows whenever it is more than three quarters full.
                    view.beginExchange();
                    table.exchange(view);
                    slotsByFlow(table, view, slots);
                }
            }
        }
        assertEquals(1000, view.size());
        assertEquals(0, view.overflowPackets(), "never full: it grew ahead of need");
        assertTrue(table.capacity() * 3 / 4 >= 1000, "at most three quarters full: " + table.capacity());
        for (int i = 0; i < 1000; i++) {
            int slot = slots.get(i);
            assertEquals(3, view.sentPackets(slot), "flow " + i);
            assertEquals(3L * (100 + i % 7), view.sentBytes(slot), "flow " + i);
        }
    }

    @Test
    void anExchangeCopiesOnlyTheTouchedFlowsAndTheViewKeepsTheRestThroughGrowthAndReuse() {
        FlowTable table = hostSideOnly(64);
        FlowTableView view = new FlowTableView();
        table.accept(udp(0, Direction.OUTGOING, 100));
        table.accept(udp(1, Direction.OUTGOING, 70));
        view.beginExchange();
        table.exchange(view);
        Map<Integer, Integer> slots = slotsByFlow(table, view, new HashMap<>());
        assertEquals(2, view.touchedCount());

        // 200 new flows, 20 a tick, grow the table (and the view) past 64; flows 0 and 1 get nothing.
        for (int i = 2; i < 202; i++) {
            table.accept(udp(i, Direction.OUTGOING, 10));
            if (i % 20 == 1) {
                view.beginExchange();
                table.exchange(view);
                slotsByFlow(table, view, slots);
                assertEquals(20, view.touchedCount(), "only the tick's new flows");
                assertTrue(!view.touched(slots.get(0)) && !view.touched(slots.get(1)));
            }
        }
        assertTrue(table.capacity() >= 256, "grew: " + table.capacity());
        assertEquals(0, view.overflowPackets());
        assertEquals(100, view.sentBytes(slots.get(0)), "kept through the view's growth");
        assertEquals(70, view.sentBytes(slots.get(1)));

        // Flow 1 is released; an announced flow (nothing counted) takes its slot: the view says 0 for
        // it, not what flow 1 had.
        int freed = slots.get(1);
        view.requestRelease(freed);
        view.beginExchange();
        table.exchange(view);
        assertEquals(1, view.releasedCount());
        assertEquals(0, view.touchedCount());
        table.announce(udp(5_000, Direction.OUTGOING, 999));
        view.beginExchange();
        table.exchange(view);
        assertEquals(1, view.newCount());
        assertEquals(freed, view.newSlot(0), "the released slot is reused");
        assertTrue(view.touched(freed), "a slot made since the last exchange is copied");
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(view.sentBytes(freed), view.sentPackets(freed),
                view.receivedBytes(freed), view.receivedPackets(freed)));
        assertEquals(100, view.sentBytes(slots.get(0)));
    }

    @Test
    void releasingIdleSlotsKeepsEveryOtherFlowFindable() {
        FlowTable table = hostSideOnly(4096);
        FlowTableView view = new FlowTableView();
        for (int i = 0; i < 1500; i++) {
            table.accept(udp(i, Direction.OUTGOING, 80));
        }
        view.beginExchange();
        table.exchange(view);
        Map<Integer, Integer> slots = slotsByFlow(table, view, new HashMap<>());
        Set<Integer> released = new HashSet<>();
        for (int i = 0; i < 1500; i += 3) {
            view.requestRelease(slots.get(i));
            released.add(slots.get(i));
        }
        // One of them gets a packet before the exchange: it must stay, with both packets.
        table.accept(udp(0, Direction.OUTGOING, 80));
        view.beginExchange();
        table.exchange(view);
        Set<Integer> freed = new HashSet<>();
        for (int i = 0; i < view.releasedCount(); i++) {
            freed.add(view.releasedSlot(i));
        }
        assertEquals(499, freed.size(), "all idle ones released");
        assertTrue(!freed.contains(slots.get(0)), "the one that got a packet stays");
        assertEquals(1001, view.size());

        // Every remaining flow is still found in place (a new packet adds to its slot, no new slot).
        for (int i = 0; i < 1500; i++) {
            if (i % 3 != 0 || i == 0) {
                table.accept(udp(i, Direction.OUTGOING, 80));
            }
        }
        view.beginExchange();
        table.exchange(view);
        assertEquals(0, view.newCount(), "no flow lost its place in the index");
        assertEquals(3, view.sentPackets(slots.get(0)));
        assertEquals(2, view.sentPackets(slots.get(1)));
    }

    @Test
    void aFullTableStillCountsEveryPacket() {
        FlowTable table = hostSideOnly(64);
        FlowTableView view = new FlowTableView();
        for (int i = 0; i < 200; i++) { // more flows than slots, no exchange to grow in between
            table.accept(udp(i, Direction.OUTGOING, 50));
            table.accept(udp(i, Direction.INCOMING, 60));
        }
        view.beginExchange();
        table.exchange(view);
        long sentBytes = view.overflow(7, false, 0);
        long receivedBytes = view.overflow(7, false, 2);
        for (int s = 0; s < view.highWater(); s++) {
            sentBytes += view.sentBytes(s);
            receivedBytes += view.receivedBytes(s);
        }
        assertEquals(200 * 50, sentBytes);
        assertEquals(200 * 60, receivedBytes);
        assertEquals(64, view.highWater());
        assertTrue(view.overflowPackets() > 0, "the overflow counters took the rest");
        assertEquals(7, view.overflowIfindex(7), "kept with their interface");
        assertEquals(0, view.overflow(7, true, 1), "and their side: interface 7 has no far side");
    }

    @Test
    void loopbackFramesCountForBothEnds() {
        FlowTable table = new FlowTable(64, () -> { });
        FlowTableView view = new FlowTableView();
        table.accept(udp(5, Direction.LOOPBACK, 40));
        view.beginExchange();
        table.exchange(view);
        assertEquals(2, view.newCount());
        FlowKey a = table.key(view.newSlot(0));
        FlowKey b = table.key(view.newSlot(1));
        assertEquals(a.localPort(), b.remotePort());
        assertEquals(40, view.sentBytes(view.newSlot(0)) + view.sentBytes(view.newSlot(1)));
        assertEquals(40, view.receivedBytes(view.newSlot(0)) + view.receivedBytes(view.newSlot(1)));
    }

    @Test
    void anAnnouncedConnectionIsKnownAtOnceAndCountedOnlyByTheMainCapture() {
        AtomicInteger wakes = new AtomicInteger();
        FlowTable table = new FlowTable(64, wakes::incrementAndGet);
        FlowTableView view = new FlowTableView();
        table.announce(udp(3, Direction.OUTGOING, 74)); // the start handle's copy of the first packet
        assertEquals(2, wakes.get(), "the engine is woken for both sides");
        view.beginExchange();
        table.exchange(view);
        assertEquals(2, view.newCount());
        for (int i = 0; i < 2; i++) {
            int slot = view.newSlot(i);
            assertEquals(0, view.sentBytes(slot) + view.receivedBytes(slot), "announcing counts nothing");
        }
        table.accept(udp(3, Direction.OUTGOING, 74)); // the main handle's copy, moments later
        table.accept(udp(3, Direction.OUTGOING, 1000));
        view.beginExchange();
        table.exchange(view);
        assertEquals(0, view.newCount(), "the same flows, no new ones");
        assertEquals(2, wakes.get());
        FlowKey host = table.key(0).has(FlowKey.PEER) ? table.key(1) : table.key(0);
        int hostSlot = table.key(0).equals(host) ? 0 : 1;
        assertEquals(1074, view.sentBytes(hostSlot), "every byte once, from the main capture");
        assertEquals(1074, view.receivedBytes(1 - hostSlot), "and once for the far side");
    }

    @Test
    void anInterfaceNotYetKnownIsCountedForItsFarSideToo() {
        FlowTable table = new FlowTable(64, () -> { });
        FlowTableView view = new FlowTableView();
        table.accept(udp(1, Direction.INCOMING, 90)); // the host end received: the far side sent
        view.beginExchange();
        table.exchange(view);
        assertEquals(2, view.newCount());
        FlowKey host = table.key(view.newSlot(0));
        FlowKey far = table.key(view.newSlot(1));
        assertTrue(!host.has(FlowKey.PEER) && far.has(FlowKey.PEER));
        assertEquals(90, view.receivedBytes(view.newSlot(0)), "host side received");
        assertEquals(90, view.sentBytes(view.newSlot(1)), "far side sent");
        assertEquals(1001, far.localPort(), "the far side's local end is the source");
    }

    @Test
    void growingWhileReleasingKeepsTheReleasedSlots() {
        FlowTable table = hostSideOnly(64);
        FlowTableView view = new FlowTableView();
        for (int i = 0; i < 30; i++) {
            table.accept(udp(i, Direction.OUTGOING, 10));
        }
        view.beginExchange();
        table.exchange(view);
        Map<Integer, Integer> slots = slotsByFlow(table, view, new HashMap<>());
        view.requestRelease(slots.get(0));
        view.requestRelease(slots.get(1));
        for (int i = 30; i < 51; i++) { // past three quarters of 64 (after the releases) before the next exchange: it grows
            table.accept(udp(i, Direction.OUTGOING, 10));
        }
        view.beginExchange();
        table.exchange(view);
        assertTrue(table.capacity() > 64);
        assertEquals(2, view.releasedCount());
        assertEquals(Set.of(slots.get(0), slots.get(1)), Set.of(view.releasedSlot(0), view.releasedSlot(1)));
        assertEquals(49, view.size());
    }

    @Test
    void aBoundedTableNeverTracksMoreThanItsBoundAndCountsTheRest() {
        FlowTable table = new FlowTable(64, 1000, () -> { });
        byte[] noFarSide = new byte[8];
        noFarSide[7] = 1;
        table.noFarSide(noFarSide);
        FlowTableView view = new FlowTableView();
        long bytes = 0;
        for (int i = 0; i < 5000; i++) {
            table.accept(udp(i, Direction.OUTGOING, 60 + i % 3));
            bytes += 60 + i % 3;
            if (i % 100 == 99) { // a tick: the table grows as far as its bound
                view.beginExchange();
                table.exchange(view);
                assertTrue(view.size() <= 1000 && table.capacity() <= 1000, () -> view.size() + " flows in "
                        + table.capacity() + " slots, over the bound");
            }
        }
        view.beginExchange();
        table.exchange(view);
        assertEquals(1000, table.maxCapacity());
        assertEquals(1000, table.capacity(), "grown to its bound, not past it (not a power of two)");
        assertEquals(1000, view.size());
        long counted = view.overflow(7, false, 0);
        for (int s = 0; s < view.highWater(); s++) {
            counted += view.sentBytes(s);
        }
        assertEquals(bytes, counted, "every byte in a flow or in the overflow counters");
        assertEquals(4000, view.overflowPackets());
    }
}
