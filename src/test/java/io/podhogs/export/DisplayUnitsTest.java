package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each view mode in each scale, in bytes and bits: the unit shown and 1,536,000 bytes (a second) in it. */
class DisplayUnitsTest {
    @ParameterizedTest(name = "{0} {1} bits={2}")
    @CsvSource(delimiter = '|', textBlock = """
            KB_PER_SECOND | NETHOGS | false | KB/s    | 1500.000
            KB_PER_SECOND | IEC     | false | KiB/s   | 1500.000
            KB_PER_SECOND | SI      | false | kB/s    | 1536.000
            KB_PER_SECOND | SI      | true  | kbit/s  | 12288.000
            KB_PER_SECOND | IEC     | true  | Kibit/s | 12000.000
            KB_PER_SECOND | NETHOGS | true  | Kbit/s  | 12000.000
            TOTAL_BYTES   | NETHOGS | false | B       | 1536000
            TOTAL_BYTES   | SI      | true  | bit     | 12288000
            TOTAL_MB      | SI      | false | MB      | 1.536
            MB_PER_SECOND | IEC     | true  | Mibit/s | 11.719
            GB_PER_SECOND | SI      | true  | Gbit/s  | 0.012
            """)
    void unitAndValue(ViewMode mode, DisplayUnits.Scale scale, boolean bits, String unit, String shown) {
        DisplayUnits u = new DisplayUnits(scale, bits);
        assertEquals(unit, u.unit(mode));
        assertEquals(shown, u.format(mode, 1_536_000));
    }
}
