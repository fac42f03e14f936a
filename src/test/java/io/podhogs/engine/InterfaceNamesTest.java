package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InterfaceNamesTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aGoneInterfaceKeepsItsNameForTheRetentionThenOnlyTheGoneEntryIsNamed() {
        InterfaceNames names = new InterfaceNames();
        names.present(Map.of(1, "lo", 5, "veth5", 6, "veth6"), 0);
        names.present(Map.of(1, "lo", 6, "veth6"), 10 * S);
        assertFalse(names.expire(60 * S, 69 * S), "gone 59 s: kept");
        assertEquals(Map.of(1, "lo", 5, "veth5", 6, "veth6"), names.copy());
        assertTrue(names.expire(60 * S, 70 * S));
        assertEquals(Map.of(1, "lo", 6, "veth6", InterfaceNames.GONE, InterfaceNames.GONE_NAME), names.copy());
        assertFalse(names.named(5));
        assertFalse(names.expire(60 * S, 200 * S), "nothing else went");
    }

    @Test
    void anInterfaceThatComesBackIsNoLongerGone() {
        InterfaceNames names = new InterfaceNames();
        names.present(Map.of(5, "veth5"), 0);
        names.present(Map.of(), S);
        names.present(Map.of(5, "veth5"), 30 * S);
        assertFalse(names.expire(60 * S, 100 * S), "present again: never expires");
        assertTrue(names.named(5));
    }

    @Test
    void beyondTheMostGoneThoseGoneLongestAreForgottenBeforeTheirRetention() {
        InterfaceNames names = new InterfaceNames(2);
        names.present(Map.of(1, "lo", 5, "veth5", 6, "veth6", 7, "veth7", 8, "veth8"), 0);
        names.present(Map.of(1, "lo", 5, "veth5", 6, "veth6", 7, "veth7"), S); // veth8 goes first
        names.present(Map.of(1, "lo", 5, "veth5"), 2 * S); // then veth6 and veth7 together
        assertTrue(names.expire(60 * S, 3 * S), "three gone, two kept: the one gone longest is forgotten");
        assertEquals(Map.of(1, "lo", 5, "veth5", 6, "veth6", 7, "veth7", InterfaceNames.GONE, InterfaceNames.GONE_NAME),
                names.copy(), "veth8, gone first, though its index is the highest");
        names.present(Map.of(1, "lo"), 4 * S);
        assertTrue(names.expire(60 * S, 5 * S), "veth5 gone too: of veth6 and veth7 (gone at once), the lower index");
        assertEquals(Map.of(1, "lo", 5, "veth5", 7, "veth7", InterfaceNames.GONE, InterfaceNames.GONE_NAME), names.copy());
        assertFalse(names.expire(60 * S, 6 * S), "two gone, two kept");
        assertTrue(names.expire(60 * S, 64 * S), "the retention still forgets the rest");
        assertEquals(Map.of(1, "lo", InterfaceNames.GONE, InterfaceNames.GONE_NAME), names.copy());
    }

    @Test
    void theCapCountsOnlyWhatTheRetentionLeaves() {
        InterfaceNames names = new InterfaceNames(1);
        names.present(Map.of(5, "veth5", 6, "veth6", 7, "veth7"), 0);
        names.present(Map.of(6, "veth6", 7, "veth7"), S); // veth5: past its retention at 61 s
        names.present(Map.of(7, "veth7"), 10 * S);
        names.present(Map.of(), 20 * S);
        assertTrue(names.expire(60 * S, 61 * S));
        assertEquals(Map.of(7, "veth7", InterfaceNames.GONE, InterfaceNames.GONE_NAME), names.copy(),
                "veth5 by its retention, veth6 by the cap of one: two forgotten, not three");
    }
}
