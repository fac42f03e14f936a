package io.podhogs.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness the fuzz tests stand on: it runs what it says, finds, shrinks and repeats failures. */
class FuzzTest {
    @Test
    void aPassingPropertyRunsEveryTryOnDifferentInputs() {
        List<Integer> seen = new ArrayList<>();
        Fuzz.run("collects", 500, 42, d -> d.below(1_000_000), seen::add);
        assertEquals(500, seen.size());
        assertTrue(seen.stream().distinct().count() > 490, "inputs differ from try to try: " + seen.size());
    }

    @Test
    void aFailureIsShrunkToItsSmallestInputAndNamesItsSeed() {
        // Fails for arrays of 3 or more bytes holding a byte of 100 or more: the smallest such
        // input has 3 bytes, two of them 0 and one exactly 100.
        Fuzz.Gen<byte[]> gen = d -> d.bytes(64);
        Fuzz.Check<byte[]> check = b -> {
            for (byte x : b) {
                if (b.length >= 3 && (x & 0xff) >= 100) {
                    throw new IllegalStateException("found " + (x & 0xff));
                }
            }
        };
        AssertionError error = assertThrows(AssertionError.class, () -> Fuzz.run("no big byte", 1000, 7, gen, check));
        assertTrue(error.getMessage().contains("-Dpodhogs.fuzz.seed=7"), error.getMessage());
        assertTrue(error.getCause() instanceof IllegalStateException, "the shrunk input's own failure is the cause");
        assertEquals("found 100", error.getCause().getMessage());

        long[] failing = firstFailure(gen, check);
        Fuzz.Shrunk<byte[]> shrunk = Fuzz.shrink(failing, new IllegalStateException(), gen, check);
        assertEquals(3, shrunk.value().length);
        int sum = 0;
        int nonZero = 0;
        for (byte x : shrunk.value()) {
            sum += x & 0xff;
            nonZero += x == 0 ? 0 : 1;
        }
        assertEquals(100, sum);
        assertEquals(1, nonZero);
    }

    @Test
    void theSameSeedRepeatsTheSameRun() {
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        Fuzz.run("first", 50, 99, d -> d.below(1 << 30), first::add);
        Fuzz.run("second", 50, 99, d -> d.below(1 << 30), second::add);
        assertEquals(first, second);
    }

    @Test
    void aReplayReadsClampedChoicesThenZeros() {
        Draws d = Draws.replaying(new long[] {7, 300});
        assertEquals(3, d.below(4), "7 is clamped into [0, 4)");
        assertEquals(255, d.below(256), "300 is clamped into [0, 256)");
        assertEquals(0, d.below(10), "past the end every draw is 0");
        assertArrayEquals(new long[] {3, 255, 0}, d.choices());
    }

    private static long[] firstFailure(Fuzz.Gen<byte[]> gen, Fuzz.Check<byte[]> check) {
        for (long seed = 0; ; seed++) {
            Draws d = Draws.fresh(seed);
            byte[] value = gen.draw(d);
            try {
                check.check(value);
            } catch (Exception e) {
                return d.choices();
            }
        }
    }
}
