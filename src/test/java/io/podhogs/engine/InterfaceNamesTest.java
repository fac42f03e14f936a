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
}
