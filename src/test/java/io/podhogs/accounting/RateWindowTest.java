package io.podhogs.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rate window's samples are bounded whatever its span (`--window` allows a day), and its rates
 * stay those of the span asked for: exact on a steady rate, falling to half half a window after the
 * traffic stops, to zero once the window has passed.
 */
class RateWindowTest {
    private static final long TICK = 100_000_000L; // the engine's
    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "--window {0} s")
    @ValueSource(doubles = {0.05, 2, 12, 12.1, 13, 60, 3600, 86_400})
    void samplesAreBoundedAndRatesFollowTheWindow(double seconds) {
        long window = (long) (seconds * SECOND);
        WindowShape shape = WindowShape.of(window, TICK);
        assertTrue(shape.samples() >= 2 && shape.samples() <= WindowShape.MAX_SAMPLES, shape::toString);

        long now = 0;
        RateWindow rates = new RateWindow(shape, now);
        long sent = 0;
        long ticks = Math.max(1, window / TICK);
        // Steady 1 MB/s (100 kB a tick) for twice the window: the rate is exact.
        for (long i = 0; i < 2 * ticks + 2; i++) {
            now += TICK;
            sent += 100_000;
            rates.add(now, sent, sent / 2);
        }
        assertEquals(1_000_000.0, rates.sentRate(), 1e-3);
        assertEquals(500_000.0, rates.receivedRate(), 1e-3);

        // Silence: half a window later about half the rate (within a spacing's share of the window),
        // none once the window and one spacing have passed.
        long k = (shape.spacingNanos() + TICK / 2) / TICK;
        if (ticks >= 20) {
            for (long i = 0; i < ticks / 2; i++) {
                now += TICK;
                rates.add(now, sent, sent / 2);
            }
            double expected = 1_000_000.0 * (ticks - ticks / 2) / ticks;
            assertEquals(expected, rates.sentRate(), 1_000_000.0 * (k + 1) / ticks + 1e-3);
        }
        for (long i = 0; i < ticks + k + 1; i++) {
            now += TICK;
            rates.add(now, sent, sent / 2);
        }
        assertEquals(0.0, rates.sentRate());
        assertEquals(0.0, rates.receivedRate());
    }

    @ParameterizedTest(name = "--window {0} s")
    @ValueSource(longs = {2, 12, 13, 3600, 86_400})
    void theSpanCoversTheWindowAndLessThanOneSpacingMore(long seconds) {
        WindowShape shape = WindowShape.of(seconds * SECOND, TICK);
        long k = (shape.spacingNanos() + TICK / 2) / TICK;
        long span = (shape.samples() - 1) * k * TICK;
        assertTrue(span >= seconds * SECOND && span < seconds * SECOND + k * TICK,
                () -> shape + " spans " + span + " ns");
        if (seconds * SECOND / TICK + 1 <= WindowShape.MAX_SAMPLES) {
            assertEquals(seconds * SECOND / TICK + 1, shape.samples(), "a short window keeps every tick");
        }
    }
}
