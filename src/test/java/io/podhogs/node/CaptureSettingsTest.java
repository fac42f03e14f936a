package io.podhogs.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.CaptureMode;
import io.podhogs.capture.InterfacePatterns;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaptureSettingsTest {
    private static final SettingNames NAMES = new SettingNames("--buffer-size", "--kubernetes", "--pod-cidr",
            "--service-cidr");

    private static CaptureSettings withBuffer(int mebibytes) {
        return new CaptureSettings(CaptureMode.ANY, List.of(), false, 256, mebibytes, false, Optional.empty(),
                List.of(), List.of());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 2048, 4097, Integer.MAX_VALUE})
    void buffersWhoseBytesAreNoPositiveIntAreRefusedByTheirSettingsName(int mebibytes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withBuffer(mebibytes).config(NAMES));
        assertEquals("--buffer-size must be between 1 and 2047 MiB, not " + mebibytes, e.getMessage());
    }

    @Test
    void theBufferIsGivenInMebibytesAndKeptInBytes() {
        assertEquals(1 << 20, withBuffer(1).config(NAMES).bufferBytes());
        assertEquals(2047 * 1024 * 1024, withBuffer(CaptureSettings.MAX_BUFFER_MEBIBYTES).config(NAMES).bufferBytes());
    }

    @Test
    void everySettingReachesTheCapturesConfiguration() {
        CaptureConfig c = new CaptureSettings(CaptureMode.PER_DEVICE, List.of("eth0", "veth1"), true, 128, 8, true,
                Optional.of("tcp"), List.of("veth*"), List.of("veth0")).config(NAMES);
        assertEquals(new CaptureConfig(CaptureMode.PER_DEVICE, List.of("eth0", "veth1"), true, 128, 8 << 20,
                CaptureConfig.DEFAULT_BUFFER_TIMEOUT_MILLIS, true, Optional.of("tcp"),
                new InterfacePatterns(List.of("veth*"), List.of("veth0"))), c);
        assertTrue(c.patterns().matches("veth1"));
        assertFalse(c.patterns().matches("veth0"));
    }

    @Test
    void theCapturesOwnChecksStillApply() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CaptureSettings(CaptureMode.ANY, List.of(), false, 10, 32, false, Optional.empty(),
                        List.of(), List.of()).config(NAMES));
        assertTrue(e.getMessage().contains("snap length"), e::getMessage);
    }
}
