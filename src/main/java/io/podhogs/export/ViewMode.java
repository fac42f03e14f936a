package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.RemoteClassTraffic;
import java.util.Locale;

/** nethogs's view modes ({@code -v}), with its numbering and units (KB = 1024 bytes). */
public enum ViewMode {
    KB_PER_SECOND("KB/s", true, 1),
    TOTAL_KB("KB", false, 1),
    TOTAL_BYTES("B", false, 0),
    TOTAL_MB("MB", false, 2),
    MB_PER_SECOND("MB/s", true, 2),
    GB_PER_SECOND("GB/s", true, 3);

    private final String unit;
    private final boolean rate;
    private final int power;
    private final double divisor;

    ViewMode(String unit, boolean rate, int power) {
        this.unit = unit;
        this.rate = rate;
        this.power = power;
        this.divisor = Math.pow(1024, power);
    }

    public static ViewMode of(int number) {
        if (number < 0 || number >= values().length) {
            throw new IllegalArgumentException("view mode must be 0 to 5, not " + number);
        }
        return values()[number];
    }

    public String unit() {
        return unit;
    }

    /** Whether the mode prints rates (bytes per second in its unit) rather than totals. */
    public boolean rate() {
        return rate;
    }

    /** The size of the mode's unit: 0 for bytes, 1 for K, 2 for M, 3 for G. */
    public int power() {
        return power;
    }

    /** What the mode shows of an account, in bytes (a second, for rate modes). */
    public double sentBytes(AccountSnapshot a) {
        return rate ? a.sentRate() : a.sentBytes();
    }

    public double receivedBytes(AccountSnapshot a) {
        return rate ? a.receivedRate() : a.receivedBytes();
    }

    public double sentBytes(RemoteClassTraffic t) {
        return rate ? t.sentRate() : t.total().sentBytes();
    }

    public double receivedBytes(RemoteClassTraffic t) {
        return rate ? t.receivedRate() : t.total().receivedBytes();
    }

    /** Bytes in one of the mode's units (1024 for KB and KB/s). */
    public double bytesPerUnit() {
        return divisor;
    }

    public double sent(AccountSnapshot a) {
        return (rate ? a.sentRate() : a.sentBytes()) / divisor;
    }

    public double received(AccountSnapshot a) {
        return (rate ? a.receivedRate() : a.receivedBytes()) / divisor;
    }

    public double sent(RemoteClassTraffic t) {
        return (rate ? t.sentRate() : t.total().sentBytes()) / divisor;
    }

    public double received(RemoteClassTraffic t) {
        return (rate ? t.receivedRate() : t.total().receivedBytes()) / divisor;
    }

    /** Numbers in full: whole bytes as integers, everything else with three decimals, never exponents. */
    public String format(double value) {
        if (this == TOTAL_BYTES) {
            return Long.toString(Math.round(value));
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** The next mode, as nethogs's 'm' key cycles them. */
    public ViewMode next() {
        return values()[(ordinal() + 1) % values().length];
    }
}
