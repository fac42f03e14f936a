package io.podhogs.accounting;

/**
 * How a rate window keeps its samples: at most {@link #MAX_SAMPLES}. A window of up to
 * {@code MAX_SAMPLES - 1} ticks keeps every sample the ledger takes, one a tick; a longer one
 * ({@code --window} allows a day) keeps one every k ticks, the fewest that fit, so that it costs
 * the same few kilobytes an account as a short one and not tens of megabytes (a day of 100 ms
 * ticks would be 864,001 samples, 20 MiB an account). Its rates then span up to k ticks more than
 * the window: under 1% of it.
 *
 * @param samples how many samples a window holds
 * @param spacingNanos the least time between two kept samples: k ticks less half a tick, so that a
 *     late or early tick does not skip one; the newest sample is always current
 */
record WindowShape(int samples, long spacingNanos) {
    static final int MAX_SAMPLES = 121;

    static WindowShape of(long windowNanos, long tickNanos) {
        long ticks = Math.max(1, windowNanos / tickNanos);
        long k = (ticks + MAX_SAMPLES - 2) / (MAX_SAMPLES - 1);
        return new WindowShape((int) ((ticks + k - 1) / k) + 1, k * tickNanos - tickNanos / 2);
    }
}
