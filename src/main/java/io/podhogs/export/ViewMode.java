package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.RemoteClassTraffic;
import java.util.Locale;

/** nethogs's view modes ({@code -v}), with its numbering and units (KB = 1024 bytes). */
public enum ViewMode {
    KB_PER_SECOND("KB/s", true, 1024),
    TOTAL_KB("KB", false, 1024),
    TOTAL_BYTES("B", false, 1),
    TOTAL_MB("MB", false, 1024 * 1024),
    MB_PER_SECOND("MB/s", true, 1024 * 1024),
    GB_PER_SECOND("GB/s", true, 1024 * 1024 * 1024);

    private final String unit;
    private final boolean rate;
    private final double divisor;

    ViewMode(String unit, boolean rate, double divisor) {
        this.unit = unit;
        this.rate = rate;
        this.divisor = divisor;
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
