package io.podhogs.accounting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one holder the engine refills for every flow: its four numbers, in the counters' order. */
class TrafficDeltaTest {
    @Test
    void itIsRefilledInPlaceAndAddsToCountersAtAnyOffset() {
        TrafficDelta delta = new TrafficDelta();
        assertFalse(delta.hasPackets(), "nothing yet");
        assertSame(delta, delta.set(1500, 1, 60, 2));
        assertEquals(1500, delta.sentBytes());
        assertEquals(1, delta.sentPackets());
        assertEquals(60, delta.receivedBytes());
        assertEquals(2, delta.receivedPackets());

        long[] counters = {7, 7, 7, 7, 7, 7};
        delta.addTo(counters, 2);
        assertArrayEquals(new long[] {7, 7, 1507, 8, 67, 9}, counters);

        assertTrue(TrafficDelta.of(0, 0, 0, 1).hasPackets());
        assertFalse(delta.set(40, 0, 40, 0).hasPackets(), "bytes without a packet are no credit");
    }
}
