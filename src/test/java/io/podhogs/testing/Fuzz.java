package io.podhogs.testing;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Property-based fuzzing inside the ordinary JUnit Jupiter tests: a property is a generator and a
 * check, run on {@code tries} generated inputs; the first failure is shrunk to a small input (see
 * {@link Draws}) and reported with the seed that reproduces the whole run.
 *
 * <p>Budget and seeds (README, Test it): each property names its tries, multiplied by the system
 * property {@code podhogs.fuzz.scale} (1 by default; the long run raises it). The seed is
 * {@code podhogs.fuzz.seed} when given, else a new one every run, so that successive runs cover
 * new inputs while any failure names the seed that repeats it exactly.
 *
 * <p>This is a harness of the project's own rather than jqwik: jqwik's maintainers ask, from 1.10
 * on, that it not be used by AI coding agents, which write much of this project; and 1.10 is
 * built for the JUnit Platform 1.x while Quarkus brings 6.
 */
public final class Fuzz {
    /** Builds one input from the draws. */
    @FunctionalInterface
    public interface Gen<T> {
        T draw(Draws d);
    }

    /** Throws (an assertion or anything else) when the property does not hold for {@code value}. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T value) throws Exception;
    }

    /** Attempts at shrinking one failure: enough for inputs of a few hundred draws. */
    private static final int SHRINK_ATTEMPTS = 20_000;

    private Fuzz() {
    }

    /** The multiplier of every property's tries: {@code -Dpodhogs.fuzz.scale=N}. */
    public static int scale() {
        return Integer.getInteger("podhogs.fuzz.scale", 1);
    }

    /** The run's seed: {@code -Dpodhogs.fuzz.seed=N}, else a new one each time the class is loaded. */
    public static long seed() {
        return Seed.VALUE;
    }

    private static final class Seed {
        static final long VALUE = Long.getLong("podhogs.fuzz.seed", ThreadLocalRandom.current().nextLong());
    }

    /** Checks the property on {@code tries} times {@link #scale()} inputs, each from a seed of its own. */
    public static <T> void forAll(String property, int tries, Gen<T> gen, Check<T> check) {
        run(property, tries * (long) scale(), seed(), gen, check);
    }

    /** As {@link #forAll}, with a given seed and exact number of tries (for the harness's own tests). */
    static <T> void run(String property, long tries, long seed, Gen<T> gen, Check<T> check) {
        for (long i = 0; i < tries; i++) {
            Draws draws = Draws.fresh(mix(seed, i));
            T value = gen.draw(draws);
            Throwable failure = failure(check, value);
            if (failure != null) {
                throw report(property, seed, i, value, draws.choices(), failure, gen, check);
            }
        }
    }

    private static long mix(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static <T> Throwable failure(Check<T> check, T value) {
        try {
            check.check(value);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static <T> AssertionError report(String property, long seed, long tryNumber, T original, long[] choices,
                                             Throwable failure, Gen<T> gen, Check<T> check) {
        Shrunk<T> shrunk = shrink(choices, failure, gen, check);
        AssertionError error = new AssertionError(property + " does not hold (try " + (tryNumber + 1) + ", seed "
                + seed + "; repeat with -Dpodhogs.fuzz.seed=" + seed + ")\n  smallest failing input: " + shrunk.value
                + "\n  its failure: " + shrunk.failure + "\n  original input: " + original + "\n  its failure: "
                + failure, shrunk.failure);
        error.addSuppressed(failure);
        return error;
    }

    record Shrunk<T>(T value, long[] choices, Throwable failure) {
    }

    /**
     * Shrinks the choice sequence while the check still fails the same way (same exception class):
     * deletes runs of choices, then lowers each choice (to 0, then by halves). Each replay records
     * the choices it used, so the result holds only what the generator read.
     */
    static <T> Shrunk<T> shrink(long[] choices, Throwable failure, Gen<T> gen, Check<T> check) {
        Class<?> kind = failure.getClass();
        Shrunk<T> best = attempt(choices, gen, check, kind);
        if (best == null) {
            return new Shrunk<>(gen.draw(Draws.replaying(choices)), choices, failure); // not deterministic
        }
        int attempts = 0;
        boolean improved = true;
        while (improved && attempts < SHRINK_ATTEMPTS) {
            improved = false;
            for (int run = 8; run >= 1; run /= 2) {
                for (int at = 0; at + run <= best.choices.length && attempts < SHRINK_ATTEMPTS; ) {
                    long[] shorter = new long[best.choices.length - run];
                    System.arraycopy(best.choices, 0, shorter, 0, at);
                    System.arraycopy(best.choices, at + run, shorter, at, best.choices.length - at - run);
                    attempts++;
                    Shrunk<T> next = attempt(shorter, gen, check, kind);
                    if (next != null && simpler(next.choices, best.choices)) {
                        best = next;
                        improved = true;
                    } else {
                        at++;
                    }
                }
            }
            for (int at = 0; at < best.choices.length && attempts < SHRINK_ATTEMPTS; at++) {
                long current = best.choices[at];
                // 0 first, then the smallest failing value by halving the distance.
                long low = 0;
                long high = current;
                while (low < high && attempts < SHRINK_ATTEMPTS) {
                    long mid = low + (high - low) / 2;
                    long[] smaller = best.choices.clone();
                    smaller[at] = mid;
                    attempts++;
                    Shrunk<T> next = attempt(smaller, gen, check, kind);
                    if (next != null && simpler(next.choices, best.choices)) {
                        best = next;
                        improved = true;
                        high = at < best.choices.length ? Math.min(mid, best.choices[at]) : mid;
                    } else {
                        low = mid + 1;
                    }
                    if (at >= best.choices.length) {
                        break;
                    }
                }
            }
        }
        return best;
    }

    private static <T> Shrunk<T> attempt(long[] choices, Gen<T> gen, Check<T> check, Class<?> kind) {
        Draws draws = Draws.replaying(choices);
        T value;
        try {
            value = gen.draw(draws);
        } catch (RuntimeException e) {
            return null; // a generator that cannot build from these choices
        }
        Throwable failure = failure(check, value);
        return failure != null && failure.getClass() == kind ? new Shrunk<>(value, draws.choices(), failure) : null;
    }

    /** Shorter, or as long and smaller at the first difference. */
    private static boolean simpler(long[] a, long[] b) {
        if (a.length != b.length) {
            return a.length < b.length;
        }
        return Arrays.compare(a, b) < 0;
    }
}
