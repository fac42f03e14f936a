package io.podhogs.plugin;

import java.util.Locale;

/**
 * How numbers are printed: human (powers of 1024, kubectl's Ki and Mi, or of 1000) or raw integers
 * for scripts; in bytes or in bits (link speeds are quoted in bits).
 */
record Units(Scale scale, boolean bits) {
    enum Scale {
        /** 1.50KiB, 12.3MiB: powers of 1024, as kubectl top prints memory. */
        IEC,
        /** 1.54kB, 12.9MB: powers of 1000, as link speeds are quoted. */
        SI,
        /** Plain integers (bytes or bits, per second for rates): for scripts. */
        RAW
    }

    private static final String[] IEC_BYTES = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final String[] SI_BYTES = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    private static final String[] IEC_BITS = {"bit", "Kibit", "Mibit", "Gibit", "Tibit", "Pibit", "Eibit"};
    private static final String[] SI_BITS = {"bit", "kbit", "Mbit", "Gbit", "Tbit", "Pbit", "Ebit"};

    /** --units (iec, si or raw) and --bits. */
    static Units parse(String units, boolean bits) {
        return new Units(switch (units.toLowerCase(Locale.ROOT)) {
            case "iec" -> Scale.IEC;
            case "si" -> Scale.SI;
            case "raw" -> Scale.RAW;
            default -> throw PluginException.usage("unknown --units \"" + units + "\": use iec, si or raw");
        }, bits);
    }

    /** A count of bytes (a cumulative total). */
    String amount(double bytes) {
        return format(bytes, "");
    }

    /** A rate in bytes per second. */
    String rate(double bytesPerSecond) {
        return format(bytesPerSecond, "/s");
    }

    private String format(double bytes, String suffix) {
        double value = bits ? bytes * 8 : bytes;
        if (scale == Scale.RAW) {
            return Long.toString(Math.round(value));
        }
        String[] names = scale == Scale.IEC ? (bits ? IEC_BITS : IEC_BYTES) : (bits ? SI_BITS : SI_BYTES);
        double step = scale == Scale.IEC ? 1024 : 1000;
        int unit = 0;
        String number = digits(value, 0);
        // Rounded as shown, a number may reach the next unit (1023.7 B is "1024" B): step up then.
        while (unit < names.length - 1 && Math.abs(Double.parseDouble(number)) >= step) {
            value /= step;
            unit++;
            number = digits(value, unit);
        }
        return number + names[unit] + suffix;
    }

    /** Three significant digits, at most two decimals; whole bytes (no fraction of a byte). */
    private static String digits(double value, int unit) {
        double v = Math.abs(value);
        if (unit == 0) {
            return Long.toString(Math.round(value));
        }
        String two = String.format(Locale.ROOT, "%.2f", value);
        if (Math.abs(Double.parseDouble(two)) < 10) {
            return two;
        }
        String one = String.format(Locale.ROOT, "%.1f", value);
        if (Math.abs(Double.parseDouble(one)) < 100 && v < 100) {
            return one;
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
