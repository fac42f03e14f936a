package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Addresses are parsed from literals only: no name lookup, no loopback for "", no octal. */
class AddressesTest {
    @Test
    void literalsParse() {
        assertArrayEquals(new long[] {0, Addresses.v4Lo(0x0a00_0001)}, Addresses.parse("10.0.0.1"));
        assertArrayEquals(new long[] {0, Addresses.v4Lo(-1)}, Addresses.parse("255.255.255.255"));
        assertArrayEquals(new long[] {0, Addresses.v4Lo(0)}, Addresses.parse("0.0.0.0"));
        assertArrayEquals(new long[] {0, Addresses.v4Lo(0x0102_0304)}, Addresses.parse("::ffff:1.2.3.4"));
        assertArrayEquals(new long[] {0xfd77_0000_0000_0000L, 1}, Addresses.parse("fd77::1"));
        assertArrayEquals(new long[] {0, 1}, Addresses.parse("::1"));
    }

    @Test
    void anythingElseIsRefusedBeforeTheJdkCouldLookItUp() {
        // Each was accepted: "" as loopback, names through DNS, "010" as the JDK pleased.
        for (String s : new String[] {"", "localhost", "example.com", "192.168.1.010", "1.2.3", "1.2.3.4.5", "256.1.1.1",
                "1.2.3.-4", ".:", "fe80::1%eth0", "[::1]", " 1.2.3.4", "1.2.3.4 "}) {
            assertThrows(IllegalArgumentException.class, () -> Addresses.parse(s), s);
        }
    }
}
