package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterfacePatternsTest {

    @ParameterizedTest(name = "include [{0}] exclude [{1}]: {2} -> {3}")
    @CsvSource(delimiter = ';', value = {
        ";;eth0;true",
        "veth*;;veth1a2b;true",
        "veth*;;eth0;false",
        "veth*,cali*;;cali12ab;true",
        ";docker0;docker0;false",
        ";docker0;docker01;true",
        ";veth*;veth0;false",
        "veth*;veth0;veth0;false",
        "veth*;veth0;veth1;true",
        "eth[01];;eth1;true",
        "eth[01];;eth2;false",
        "wg?;;wg0;true",
        "wg?;;wg10;false",
    })
    void includeThenExclude(String include, String exclude, String name, boolean counted) {
        InterfacePatterns p = new InterfacePatterns(split(include), split(exclude));
        assertEquals(counted, p.matches(name));
    }

    private static List<String> split(String s) {
        return s == null ? List.of() : List.of(s.split(","));
    }

    @ParameterizedTest
    @CsvSource({"'veth['", "'a/b'", "' '"})
    void aPatternThatIsNoGlobIsRefusedWithItsText(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InterfacePatterns(List.of(bad), List.of()));
        assertEquals(true, e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
}
