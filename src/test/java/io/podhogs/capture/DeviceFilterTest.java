package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;

/**
 * The device part of the filter on {@code any}: what it selects, that it follows named devices and
 * stays short for hundreds of devices left out, and that what it makes compiles (real libpcap) to
 * a program the kernel runs, even at its longest and on a thread with the JVM's small stacks.
 */
class DeviceFilterTest {
    private static final int LINUX_SLL2 = 276;

    private static NetInterface device(String name, int index, boolean up) {
        return new NetInterface(name, index, 1, 0x02_00_00_00_00_00L + index, up, index, "", false, false);
    }

    private static NetInterface loopback() {
        return new NetInterface("lo", 1, FrameParser.ARPHRD_LOOPBACK, 0, true, 1, "", false, false);
    }

    private static CaptureConfig config(List<String> devices, List<String> exclude) {
        CaptureConfig d = CaptureConfig.defaults(devices);
        return new CaptureConfig(d.mode(), devices, false, d.snapLength(), d.bufferBytes(), d.bufferTimeoutMillis(),
                false, Optional.empty(), new InterfacePatterns(List.of(), exclude));
    }

    private static DeviceFilter every(CaptureConfig config, List<NetInterface> all) {
        List<NetInterface> counted = all.stream().filter(d -> config.counts(d) && d.up()).toList();
        List<NetInterface> left = all.stream().filter(d -> !counted.contains(d)).toList();
        return DeviceFilter.of(config, new DeviceSelection(false, counted, left, config.patterns()));
    }

    @Test
    void devicesLeftOutByNameAreRangesWithNoCountedDeviceInside() {
        CaptureConfig config = config(List.of(), List.of("veth*"));
        List<NetInterface> all = List.of(loopback(), device("eth0", 2, true), device("veth3", 3, true),
                device("veth4", 4, true), device("vethdown5", 5, false), device("veth7", 7, true),
                device("eth8", 8, false), device("veth9", 9, true));
        DeviceFilter filter = every(config, all);
        // lo alone (eth0 counted next to it); 3..7 (5 is down and left out: absorbed, 6 does not exist);
        // eth8 is counted though down (it may come up): 9 alone.
        assertEquals("not (ifindex 1 or (link[4:4] >= 3 and link[4:4] <= 7) or ifindex 9)", filter.text());
        assertTrue(filter.reaches(device("eth0", 2, true)));
        assertFalse(filter.reaches(device("veth4", 4, true)));
        assertFalse(filter.reaches(device("new6", 6, true)), "an index inside a range");
    }

    @Test
    void aCountedDeviceThatAppearsInsideARangeHasTheRangesDrawnAgain() {
        CaptureConfig config = config(List.of(), List.of("veth*"));
        List<NetInterface> all = new ArrayList<>(List.of(device("eth0", 2, true), device("veth3", 3, true),
                device("veth5", 5, true)));
        DeviceFilter filter = every(config, all);
        assertEquals("not ((link[4:4] >= 3 and link[4:4] <= 5))", filter.text());
        int version = filter.version();
        filter.update(all);
        assertEquals(version, filter.version(), "nothing moved, nothing drawn again");
        all.add(device("eth4", 4, true)); // asked for index 4: counted, inside 3..5
        filter.update(all);
        assertEquals("not (ifindex 3 or ifindex 5)", filter.text());
        assertEquals(version + 1, filter.version());
        assertTrue(filter.reaches(device("eth4", 4, true)));
    }

    @Test
    void namedDevicesAreFollowedByNameToTheirNewIndex() {
        CaptureConfig config = config(List.of("relh", "eth0"), List.of());
        DeviceFilter filter = DeviceFilter.of(config, new DeviceSelection(true,
                List.of(device("relh", 10, true), device("eth0", 2, true)), List.of(), InterfacePatterns.ALL));
        assertEquals("ifindex 10 or ifindex 2", filter.text());
        filter.update(List.of(device("eth0", 2, true))); // relh deleted: its last index stays until it is back
        assertEquals("ifindex 10 or ifindex 2", filter.text());
        filter.update(List.of(device("eth0", 2, true), device("relh", 41, false)));
        assertEquals("ifindex 41 or ifindex 2", filter.text());
        assertTrue(filter.reaches(device("relh", 41, true)));
        assertFalse(filter.reaches(device("other", 10, true)));
    }

    /** Alternating counted and left-out devices: the worst case, one term per device left out. */
    private static List<NetInterface> alternating(int leftOut) {
        List<NetInterface> all = new ArrayList<>();
        for (int i = 0; i < leftOut; i++) {
            all.add(device("veth" + i, 100 + 2 * i, true));
            all.add(device("cali" + i, 101 + 2 * i, true));
        }
        return all;
    }

    @Test
    void theLongestDevicePartCompilesToAProgramTheKernelRunsOnASmallStack() throws Exception {
        DeviceFilter filter = every(config(List.of(), List.of("veth*")), alternating(DeviceFilter.MAX_TERMS));
        assertEquals(DeviceFilter.MAX_TERMS, filter.text().split(" or ").length);
        // Compiled from a thread with the stack podhogs's threads have (-Xss512k), where libpcap's
        // compiler recursing over a thousand terms used to kill the JVM.
        int[] instructions = new int[1];
        Exception[] failure = new Exception[1];
        Thread small = new Thread(null, () -> {
            try {
                BpfProgram p = FilterCompiler.compile(filter.text(), LINUX_SLL2, 256);
                instructions[0] = FilterCompiler.instructions(p);
                p.free();
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "small-stack", 512 << 10);
        small.start();
        small.join();
        assertEquals(null, failure[0]);
        assertTrue(instructions[0] > DeviceFilter.MAX_TERMS && instructions[0] <= FilterCompiler.KERNEL_MAX_INSTRUCTIONS,
                "instructions: " + instructions[0]);
    }

    @Test
    void beyondTheLimitTheKernelGetsNoDevicePartAndEveryDeviceReachesTheSocket() {
        DeviceFilter filter = every(config(List.of(), List.of("veth*")), alternating(DeviceFilter.MAX_TERMS + 1));
        assertEquals("", filter.text());
        assertTrue(filter.reaches(device("veth0", 100, true)));
    }
}
