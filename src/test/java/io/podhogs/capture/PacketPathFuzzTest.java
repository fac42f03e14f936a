package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.attribution.FlowTable;
import io.podhogs.attribution.FlowTableView;
import io.podhogs.testing.Draws;
import io.podhogs.testing.Fuzz;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole packet path of one capture thread, parser, counters and flow table, under any frames
 * (well-formed, mutated fixture frames, garbage) and the engine's exchanges and releases between
 * them: nothing is thrown, no counter ever goes down, and every byte fed in is in exactly one place:
 * a flow's counters (read by the engine before it released the flow) or the table's overflow.
 */
class PacketPathFuzzTest {
    /** A frame, or (frame null) an engine tick that may ask to release some flows. */
    record Event(FrameGen.Input frame, boolean release) {
        @Override
        public String toString() {
            return frame != null ? frame.toString() : release ? "exchange, releasing" : "exchange";
        }
    }

    record Session(FrameGen.Device device, byte[] noFarSide, List<Event> events) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(device + " noFarSide=" + java.util.Arrays.toString(noFarSide));
            events.forEach(e -> s.append("\n    ").append(e));
            return s.toString();
        }
    }

    private static Session session(Draws d) {
        FrameGen.Device device = FrameGen.device(d, FrameGen.linkType(d));
        byte[] noFarSide = new byte[d.below(8)];
        for (int i = 0; i < noFarSide.length; i++) {
            noFarSide[i] = (byte) d.below(2);
        }
        int n = d.between(1, 300);
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(d.oneIn(20) ? new Event(null, d.bool()) : new Event(FrameMutations.any(d, device), false));
        }
        return new Session(device, noFarSide, events);
    }

    @Test
    void everyByteFedInIsCountedOnceAndNoCounterGoesDown() {
        Fuzz.forAll("every byte is counted once, no counter goes down", 300, PacketPathFuzzTest::session, s -> {
            // A table that starts small, so that it overflows before the engine grows it.
            FlowTable table = new FlowTable(64, () -> { });
            table.noFarSide(s.noFarSide());
            long[] expected = {0};
            PacketSink sides = p -> {
                boolean farSide = p.direction != Direction.LOOPBACK
                        && (p.ifindex >= s.noFarSide().length || s.noFarSide()[p.ifindex] == 0);
                expected[0] += (long) p.wireLength * ((p.direction == Direction.LOOPBACK ? 2 : 1) + (farSide ? 1 : 0));
                table.accept(p);
            };
            FramePath path = new FramePath(s.device().parser(), sides, new CaptureCounters());
            CaptureCounters counters = path.counters();
            FlowTableView view = new FlowTableView();
            Map<Integer, Long> seen = new HashMap<>(); // live slot -> bytes at the last exchange
            long[] credited = {0};
            long frames = 0;
            long wire = 0;
            long[] before = new long[5];
            for (Event e : s.events()) {
                if (e.frame() == null) {
                    exchange(table, view, seen, credited, e.release());
                    continue;
                }
                FrameGen.Input in = e.frame();
                assertTrue(path.accept(in.bytes(), in.captured(), in.original()),
                        () -> "the packet path threw: " + path.lastFailure());
                frames++;
                wire += FrameChecks.wireLength(in);
                long[] now = {counters.frames(), counters.bytes(), counters.truncated(), counters.malformed(),
                        counters.failedFrames()};
                for (int i = 0; i < now.length; i++) {
                    assertTrue(now[i] >= before[i], "capture counter " + i + " went down");
                }
                before = now;
                assertEquals(frames, counters.frames(), "frames");
                assertEquals(wire, counters.bytes(), "bytes: the wire lengths fed in");
                assertEquals(0, counters.failedFrames(), "failed frames");
            }
            exchange(table, view, seen, credited, false);
            long overflow = 0;
            for (int bucket = 0; bucket < FlowTable.OVERFLOW_BUCKETS; bucket++) {
                for (boolean far : new boolean[] {false, true}) {
                    overflow += view.overflow(bucket, far, 0) + view.overflow(bucket, far, 2);
                }
            }
            long live = seen.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(expected[0], live + credited[0] + overflow,
                    "bytes in flows (" + live + "), released (" + credited[0] + ") and overflow (" + overflow + ")");
        });
    }

    /**
     * One engine tick: asks (maybe) to release some flows at their packet count as last seen, then
     * checks that no flow's bytes went down and credits the released ones with what was last seen.
     */
    private static void exchange(FlowTable table, FlowTableView view, Map<Integer, Long> seen, long[] credited,
                                 boolean release) {
        long overflowBefore = view.overflowPackets();
        if (release) {
            int i = 0;
            for (int slot : seen.keySet()) {
                if (i++ % 2 == 0) {
                    view.requestRelease(slot);
                }
            }
        }
        view.beginExchange();
        table.exchange(view);
        assertTrue(view.overflowPackets() >= overflowBefore, "overflow went down");
        for (int i = 0; i < view.releasedCount(); i++) {
            Long last = seen.remove(view.releasedSlot(i));
            assertTrue(last != null, "released a slot never handed over");
            credited[0] += last;
        }
        for (int i = 0; i < view.newCount(); i++) {
            seen.put(view.newSlot(i), 0L);
        }
        for (Map.Entry<Integer, Long> e : seen.entrySet()) {
            long bytes = view.sentBytes(e.getKey()) + view.receivedBytes(e.getKey());
            assertTrue(bytes >= e.getValue(), "flow " + e.getKey() + " went down from " + e.getValue() + " to " + bytes);
            e.setValue(bytes);
        }
    }
}
