package io.podhogs.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rates, volumes and spans as rules write them, and the one line each bad one gets. */
class QuantitiesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            10MiB/s     | 10485760
            10 MiB/s    | 10485760
            500kB/s     | 500000
            1.5GB/s     | 1500000000
            800kbit/s   | 100000
            1Gbit/s     | 125000000
            64B/s       | 64
            """)
    void rates(String text, double bytesPerSecond) {
        assertEquals(bytesPerSecond, Quantities.rate(text), 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            10          | '10' is no rate: a number and a unit a second, such as 10MiB/s, 500kB/s or 800kbit/s
            10MiB       | '10MiB' is no rate: a number and a unit a second, such as 10MiB/s, 500kB/s or 800kbit/s
            10/s        | '10/s' is no rate: a number and its unit, such as 10MiB/s, 500kB/s or 800kbit/s
            10MBps/s    | '10MBps/s': unknown unit 'MBps' (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB, bit, kbit, Mbit, Gbit)
            0MiB/s      | '0MiB/s' is zero: a threshold is more than nothing
            -1MiB/s     | '-1MiB/s' is no rate: a number and its unit, such as 10MiB/s, 500kB/s or 800kbit/s
            """)
    void badRates(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Quantities.rate(text)).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            10GiB | 10737418240
            500MB | 500000000
            """)
    void volumes(String text, long bytes) {
        assertEquals(bytes, Quantities.volume(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            250ms | PT0.25S
            30s   | PT30S
            5m    | PT5M
            1h    | PT1H
            1d    | PT24H
            """)
    void spans(String text, String iso) {
        assertEquals(Duration.parse(iso), Quantities.span(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            30              | '30' is no span: a whole number and ms, s, m, h or d, such as 30s or 5m
            1.5m            | '1.5m' is no span: a whole number and ms, s, m, h or d, such as 30s or 5m
            99999999999999999999d | '99999999999999999999d' is too long a span
            """)
    void badSpans(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Quantities.span(text)).getMessage());
    }
}
