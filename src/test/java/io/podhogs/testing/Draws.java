package io.podhogs.testing;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The source of every random choice a generator makes, recorded as a sequence of numbers so that a
 * failing input can be shrunk by shrinking the sequence (shorter, smaller numbers) and replaying
 * the generator on it, whatever the generator builds. Generators are written so that smaller
 * numbers mean simpler values: draw 0 is the shortest length, the first option, {@code false}.
 *
 * <p>Fresh draws come from a seeded random; a replay reads a given sequence, a number clamped into
 * the range asked for, and 0 past its end.
 */
public final class Draws {
    private final SplittableRandom random;
    private final long[] replay;
    private long[] recorded = new long[64];
    private int count;

    private Draws(SplittableRandom random, long[] replay) {
        this.random = random;
        this.replay = replay;
    }

    static Draws fresh(long seed) {
        return new Draws(new SplittableRandom(seed), null);
    }

    static Draws replaying(long[] choices) {
        return new Draws(null, choices);
    }

    /** The numbers drawn so far, in order. */
    long[] choices() {
        return Arrays.copyOf(recorded, count);
    }

    /** A number in [0, bound): the primitive every other draw is made of. */
    public int below(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long value;
        if (replay == null) {
            value = random.nextInt(bound);
        } else {
            value = count < replay.length ? Math.min(replay[count], bound - 1) : 0;
        }
        if (count == recorded.length) {
            recorded = Arrays.copyOf(recorded, count * 2);
        }
        recorded[count++] = value;
        return (int) value;
    }

    /** A number in [min, max], min being the simplest. */
    public int between(int min, int max) {
        return min + below(max - min + 1);
    }

    /** True about once in {@code oneIn} draws; shrinks to false. */
    public boolean oneIn(int oneIn) {
        return below(oneIn) == oneIn - 1;
    }

    public boolean bool() {
        return below(2) == 1;
    }

    /** One of {@code options}, the first being the simplest. */
    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[below(options.length)];
    }

    public <T> T pick(List<T> options) {
        return options.get(below(options.size()));
    }

    /** One of {@code options}, the first being the simplest. */
    public int pickInt(int... options) {
        return options[below(options.length)];
    }

    /** 32 random bits, drawn as two 16-bit halves so that each can shrink. */
    public int int32() {
        return below(1 << 16) << 16 | below(1 << 16);
    }

    public long int64() {
        return (long) int32() << 32 | (int32() & 0xffff_ffffL);
    }

    /** Up to {@code maxLength} random bytes. */
    public byte[] bytes(int maxLength) {
        byte[] b = new byte[below(maxLength + 1)];
        fill(b, 0, b.length);
        return b;
    }

    /** Overwrites {@code b[from, to)} with random bytes. */
    public void fill(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            b[i] = (byte) below(256);
        }
    }

    /** Text of up to {@code maxLength} characters, each from {@code alphabet}. */
    public String text(String alphabet, int maxLength) {
        int length = below(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(below(alphabet.length())));
        }
        return s.toString();
    }
}
