package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadPacingTest {

    @ParameterizedTest(name = "{0}: {1} of {2} frames -> {3} ns")
    @CsvSource({
            "a timeout with nothing,           0, 256, 0",
            "a lone frame,                     1, 256, 0",
            "a quiet ring's few frames,       63, 256, 0",
            "a busy ring drained,             64, 256, 5000000",
            "a busy ring nearly a batch,     255, 256, 5000000",
            "a full batch: more wait,        256, 256, 0",
            "a small batch filled,            64,  64, 0",
    })
    void theMainHandlesPauseOnlyAfterABusyRingWasDrained(String what, int read, int batchFrames, long pause) {
        assertEquals(pause, ReadPacing.BUSY_LINKS.pauseAfter(read, batchFrames), what);
    }

    @ParameterizedTest(name = "a ring of {0} bytes paced: {1}")
    @CsvSource({"16777216, true", "8388608, true", "8388607, false", "1048576, false"})
    void onlyARingThatHoldsManyPausesIsPaced(int bufferBytes, boolean paced) {
        assertEquals(paced ? ReadPacing.BUSY_LINKS : ReadPacing.NONE, ReadPacing.forRing(bufferBytes));
    }

    @ParameterizedTest(name = "{0} of {1} frames")
    @CsvSource({"0, 256", "1, 256", "200, 256", "256, 256"})
    void handlesWhoseFramesMustNotWaitNeverPause(int read, int batchFrames) {
        assertEquals(0, ReadPacing.NONE.pauseAfter(read, batchFrames));
    }
}
