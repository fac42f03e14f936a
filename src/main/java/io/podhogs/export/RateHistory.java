package io.podhogs.export;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Each row's recent totals, a sample a second, kept for the longest of iftop's windows: a row's
 * rates over 2, 10 and 40 seconds come from its own totals, and its peak is the highest 2-second
 * rate seen. Rows not seen in a refresh are forgotten, so what is kept is bounded by what is shown
 * (at most ~42 samples a row whatever the refresh period). One thread.
 *
 * @param <K> what a row is known by
 */
public final class RateHistory<K> {
    /** The windows, as iftop's columns: 2 s, 10 s, 40 s. */
    public static final long[] WINDOWS_NANOS = {2_000_000_000L, 10_000_000_000L, 40_000_000_000L};
    public static final String[] WINDOW_NAMES = {"2s", "10s", "40s"};

    private static final long SPACING_NANOS = 1_000_000_000L;

    private final Map<K, Samples> rows = new HashMap<>();
    private long generation;

    /** A row's rates each way, bytes a second: over each window ({@link #WINDOW_NAMES}'s order), and the peaks. */
    public record Rates(double[] sent, double[] received, double peakSent, double peakReceived) {
    }

    private static final class Samples {
        final ArrayDeque<long[]> ring = new ArrayDeque<>(); // {nanos, sent, received}
        double peakSent;
        double peakReceived;
        long generation;
    }

    public void beginRefresh() {
        generation++;
    }

    /** The row's rates now, its history taken one sample further with its totals. */
    public Rates sample(K key, long sentBytes, long receivedBytes, long nowNanos) {
        Samples s = rows.computeIfAbsent(key, k -> new Samples());
        s.generation = generation;
        // Samples a second apart, and the newest.
        if (s.ring.size() >= 2 && s.ring.peekLast()[0] - secondNewest(s.ring)[0] < SPACING_NANOS) {
            s.ring.removeLast();
        }
        s.ring.addLast(new long[] {nowNanos, sentBytes, receivedBytes});
        // Keep one sample at or beyond the longest window, so that its rate spans all of it.
        while (s.ring.size() > 2) {
            Iterator<long[]> it = s.ring.iterator();
            it.next();
            if (nowNanos - it.next()[0] >= WINDOWS_NANOS[WINDOWS_NANOS.length - 1]) {
                s.ring.removeFirst();
            } else {
                break;
            }
        }
        double[] sent = new double[WINDOWS_NANOS.length];
        double[] received = new double[WINDOWS_NANOS.length];
        for (int w = 0; w < WINDOWS_NANOS.length; w++) {
            rate(s.ring, nowNanos, WINDOWS_NANOS[w], w, sent, received);
        }
        s.peakSent = Math.max(s.peakSent, sent[0]);
        s.peakReceived = Math.max(s.peakReceived, received[0]);
        return new Rates(sent, received, s.peakSent, s.peakReceived);
    }

    private static long[] secondNewest(ArrayDeque<long[]> ring) {
        Iterator<long[]> it = ring.descendingIterator();
        it.next();
        return it.next();
    }

    /** From the newest sample back to the oldest one within the window (or the oldest kept). */
    private static void rate(ArrayDeque<long[]> ring, long nowNanos, long windowNanos, int w, double[] sent,
                             double[] received) {
        long[] newest = ring.peekLast();
        long[] from = newest;
        for (Iterator<long[]> it = ring.descendingIterator(); it.hasNext(); ) {
            long[] sample = it.next();
            from = sample;
            if (nowNanos - sample[0] >= windowNanos) {
                break;
            }
        }
        double seconds = (newest[0] - from[0]) / 1e9;
        if (seconds > 0) {
            sent[w] = (newest[1] - from[1]) / seconds;
            received[w] = (newest[2] - from[2]) / seconds;
        }
    }

    /** How many samples a row keeps (for tests of the bound). */
    public int samples(K key) {
        Samples s = rows.get(key);
        return s == null ? 0 : s.ring.size();
    }

    /** How many rows are kept. */
    public int size() {
        return rows.size();
    }

    /** Forgets the rows this refresh did not show. */
    public void endRefresh() {
        rows.values().removeIf(s -> s.generation != generation);
    }
}
