package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Numbers as a person reads them: three digits, and never 1024 of a unit where the next one fits. */
class UnitsTest {

    @ParameterizedTest(name = "{0} B = {2} ({1})")
    @CsvSource({
            "0, IEC, 0B", "1023, IEC, 1023B", "1023.7, IEC, 1.00KiB", "1024, IEC, 1.00KiB", "1536, IEC, 1.50KiB",
            "10239, IEC, 10.0KiB", "102399, IEC, 100KiB", "1048575, IEC, 1.00MiB", "1072693248, IEC, 1023MiB", "1073217536, IEC, 1.00GiB",
            "999, SI, 999B", "999.6, SI, 1.00kB", "999999, SI, 1.00MB", "12345678, SI, 12.3MB",
            "12345678, RAW, 12345678"})
    void amounts(double bytes, Units.Scale scale, String shown) {
        assertEquals(shown, new Units(scale, false).amount(bytes));
    }

    @ParameterizedTest(name = "{0} B/s = {1}")
    @CsvSource({"128, 1.00Kibit/s", "125, 1000bit/s", "127.99, 1.00Kibit/s"})
    void bitRates(double bytesPerSecond, String shown) {
        assertEquals(shown, new Units(Units.Scale.IEC, true).rate(bytesPerSecond));
    }
}
