package io.podhogs.export;

import java.util.Locale;

/**
 * The units the top view shows its numbers in: nethogs's (KB = 1024 bytes, its labels), IEC's
 * (KiB) or SI's (kB = 1000), in bytes or, as iftop shows them, in bits. The view mode ({@code -v},
 * 'm') chooses rates or totals and their size (B, K, M, G); these choose how that size is counted
 * and named. The trace keeps nethogs's units whatever these say; JSON has bytes.
 */
public record DisplayUnits(Scale scale, boolean bits) {
    /** nethogs's bytes, the default. */
    public static final DisplayUnits NETHOGS = new DisplayUnits(Scale.NETHOGS, false);

    /** How a size is counted and named. */
    public enum Scale {
        NETHOGS(1024, new String[] {"B", "KB", "MB", "GB"}, new String[] {"bit", "Kbit", "Mbit", "Gbit"}),
        IEC(1024, new String[] {"B", "KiB", "MiB", "GiB"}, new String[] {"bit", "Kibit", "Mibit", "Gibit"}),
        SI(1000, new String[] {"B", "kB", "MB", "GB"}, new String[] {"bit", "kbit", "Mbit", "Gbit"});

        private final double base;
        private final String[] bytes;
        private final String[] bits;

        Scale(double base, String[] bytes, String[] bits) {
            this.base = base;
            this.bytes = bytes;
            this.bits = bits;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The scale named {@code text} (nethogs, iec, si); an IllegalArgumentException otherwise. */
        public static Scale parse(String text) {
            for (Scale s : values()) {
                if (s.label().equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--units is nethogs, iec or si, not '" + text + "'");
        }

        Scale next() {
            return values()[(ordinal() + 1) % values().length];
        }
    }

    /** The mode's unit as shown: "KB/s", "KiB/s", "kbit/s", "MB" ... */
    public String unit(ViewMode mode) {
        String name = (bits ? scale.bits : scale.bytes)[mode.power()];
        return mode.rate() ? name + "/s" : name;
    }

    /** A number of the mode, given in bytes (or bytes a second), in the shown unit. */
    public double value(ViewMode mode, double bytes) {
        return bytes * (bits ? 8 : 1) / Math.pow(scale.base, mode.power());
    }

    /** As the mode prints numbers: whole bytes or bits as integers, everything else with three decimals. */
    public String format(ViewMode mode, double bytes) {
        double v = value(mode, bytes);
        return mode.power() == 0 && !mode.rate() ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * A number of bytes (or bytes a second) in the largest unit it fills, as iftop shows them:
     * "512B", "1.5KB/s", "12.3Mbit/s" (whole numbers for bytes and bits, one decimal above).
     */
    public String human(double bytes, boolean rate) {
        double v = bytes * (bits ? 8 : 1);
        String[] names = bits ? scale.bits : scale.bytes;
        int power = 0;
        while (power < names.length - 1 && Math.abs(v) >= scale.base) {
            v /= scale.base;
            power++;
        }
        String number = power == 0 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
        return number + names[power] + (rate ? "/s" : "");
    }

    /** The next scale, as the top view's 'u' cycles them. */
    public DisplayUnits nextScale() {
        return new DisplayUnits(scale.next(), bits);
    }

    /** Bits for bytes or back, as the top view's 'B' (iftop's) toggles them. */
    public DisplayUnits toggleBits() {
        return new DisplayUnits(scale, !bits);
    }
}
