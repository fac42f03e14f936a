package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.host.HostFiles;
import io.podhogs.testing.Draws;
import io.podhogs.testing.Fuzz;
import io.podhogs.testing.TextGen;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /sys/class/net as NetInterfaces reads it, with every file of a device well-formed, changed or
 * garbage: nothing throws, a device is read with a positive index and a 48-bit MAC (or none), or
 * not at all.
 */
class NetInterfacesFuzzTest {
    @TempDir
    Path root;

    private static final Map<String, String> REAL = Map.of("ifindex", "2\n", "type", "1\n", "flags", "0x1003\n",
            "address", "02:77:00:00:00:01\n", "iflink", "3\n", "uevent", "INTERFACE=ph-va\nIFINDEX=2\nDEVTYPE=veth\n");

    private static Map<String, String> files(Draws d) {
        java.util.TreeMap<String, String> files = new java.util.TreeMap<>();
        for (Map.Entry<String, String> f : REAL.entrySet()) {
            switch (d.below(4)) {
                case 0 -> files.put(f.getKey(), f.getValue());
                case 1 -> files.put(f.getKey(), TextGen.mutate(d, f.getValue()));
                case 2 -> files.put(f.getKey(), TextGen.token(d));
                default -> { } // missing: the device is going
            }
        }
        return files;
    }

    @Test
    void aDeviceIsReadInItsDomainOrNotAtAll() {
        Fuzz.forAll("a device is read in its domain or not at all", 300, NetInterfacesFuzzTest::files, files -> {
            Path dir = Files.createDirectories(root.resolve("sys/class/net/ph-va"));
            try (var old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.ISO_8859_1);
            }
            List<NetInterface> all = new NetInterfaces(new HostFiles(root.resolve("proc"), root.resolve("sys"),
                    root.resolve("etc"))).list();
            for (NetInterface i : all) {
                assertTrue(i.index() > 0, () -> "index of " + i);
                assertTrue(i.mac() >= -1 && i.mac() < 1L << 48, () -> "MAC of " + i);
            }
            if (files.equals(REAL)) {
                assertEquals(1, all.size());
                assertEquals(List.of(2, 0x02_77_00_00_00_01L, true), List.of(all.get(0).index(), all.get(0).mac(),
                        all.get(0).up()));
            }
        });
    }

    @Test
    void anIfindexBeyondAnIntIsNoDevice() throws Exception {
        // Found by the property: 4294967295 was read as index -1.
        Path dir = Files.createDirectories(root.resolve("sys/class/net/ph-va"));
        Files.writeString(dir.resolve("ifindex"), "4294967295\n");
        NetInterfaces interfaces = new NetInterfaces(new HostFiles(root.resolve("proc"), root.resolve("sys"),
                root.resolve("etc")));
        assertEquals(List.of(), interfaces.list());
        Files.writeString(dir.resolve("ifindex"), "2147483647\n");
        assertEquals(Integer.MAX_VALUE, interfaces.byName("ph-va").orElseThrow().index());
    }

    @Test
    void aMacIsSixOctetsOfTwoHexDigits() {
        Fuzz.forAll("a MAC is six octets of two hex digits, or none", 3000,
                d -> d.bool() ? TextGen.mutate(d, "02:77:00:00:00:01") : TextGen.token(d), s -> {
                    long mac = NetInterfaces.mac(s);
                    assertTrue(mac >= -1 && mac < 1L << 48, () -> s + " read as " + mac);
                });
        assertEquals(0x02_77_00_00_00_01L, NetInterfaces.mac("02:77:00:00:00:01"));
        assertEquals(0xffff_ffff_ffffL, NetInterfaces.mac("ff:ff:ff:ff:ff:ff"));
        // Found by the property: octets of three digits (or signed) passed, and shifted past 48 bits.
        assertEquals(-1, NetInterfaces.mac("fff:0:0:0:0:0"));
        assertEquals(-1, NetInterfaces.mac("+1:0:0:0:0:0"));
        assertEquals(-1, NetInterfaces.mac("-1:0:0:0:0:0"));
    }
}
