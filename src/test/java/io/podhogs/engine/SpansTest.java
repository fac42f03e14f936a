package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpansTest {

    @Test
    void productsSaturateAtTheLongestSpanTheEngineCounts() {
        assertEquals(Duration.ofSeconds(5), Spans.times(Duration.ofSeconds(1), 5));
        assertEquals(Spans.FOREVER, Spans.times(Duration.ofSeconds(86_400), Integer.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Spans.times(Duration.ofSeconds(86_400), Integer.MAX_VALUE).toNanos(), "no overflow");
        assertEquals(Spans.FOREVER, Spans.saturated(Duration.ofDays(365L * 1000)));
        assertThrows(IllegalArgumentException.class, () -> Spans.saturated(Duration.ofSeconds(-1)));
    }
}
