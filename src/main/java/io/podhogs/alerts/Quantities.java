package io.podhogs.alerts;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quantities of alert rules, always with their unit (a bare "10" is refused: 10 what?): rates
 * in bytes or bits a second, SI (kB = 1000) or IEC (KiB = 1024) ("10MiB/s", "800 kbit/s"), volumes
 * in bytes ("10GiB"), and spans ("30s", "5m", "1h", "1d").
 */
public final class Quantities {
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]+)");
    private static final Pattern SPAN = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)");

    private Quantities() {
    }

    /** Bytes a second; an IllegalArgumentException says what is wrong and how it is written. */
    public static double rate(String text) {
        String t = text.strip();
        if (!t.endsWith("/s")) {
            throw new IllegalArgumentException("'" + text + "' is no rate: a number and a unit a second, such as"
                    + " 10MiB/s, 500kB/s or 800kbit/s");
        }
        return bytes(t.substring(0, t.length() - 2), text, true);
    }

    /** Bytes; an IllegalArgumentException says what is wrong and how it is written. */
    public static long volume(String text) {
        String t = text.strip();
        double bytes = bytes(t, text, false);
        if (bytes > Long.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is more bytes than podhogs counts");
        }
        return (long) bytes;
    }

    private static double bytes(String quantity, String text, boolean rate) {
        String example = rate ? "10MiB/s, 500kB/s or 800kbit/s" : "10GiB or 500MB";
        Matcher m = QUANTITY.matcher(quantity.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is no " + (rate ? "rate" : "volume")
                    + ": a number and its unit, such as " + example);
        }
        double factor = factor(m.group(2));
        if (Double.isNaN(factor)) {
            throw new IllegalArgumentException("'" + text + "': unknown unit '" + m.group(2) + "' (B, kB, MB, GB, TB,"
                    + " KiB, MiB, GiB, TiB" + (rate ? ", bit, kbit, Mbit, Gbit" : "") + ")");
        }
        if (!rate && factor < 1) {
            throw new IllegalArgumentException("'" + text + "': a volume is in bytes (B, kB, MiB ...), not bits");
        }
        double value = Double.parseDouble(m.group(1)) * factor;
        if (!(value > 0)) {
            throw new IllegalArgumentException("'" + text + "' is zero: a threshold is more than nothing");
        }
        return value;
    }

    /** Bytes per unit; NaN for no unit podhogs knows. Bits count as an eighth of a byte. */
    private static double factor(String unit) {
        return switch (unit) {
            case "B" -> 1;
            case "kB", "KB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            case "TB" -> 1e12;
            case "KiB" -> 1024.0;
            case "MiB" -> 1024.0 * 1024;
            case "GiB" -> 1024.0 * 1024 * 1024;
            case "TiB" -> 1024.0 * 1024 * 1024 * 1024;
            case "bit" -> 1 / 8.0;
            case "kbit", "Kbit" -> 1e3 / 8;
            case "Mbit" -> 1e6 / 8;
            case "Gbit" -> 1e9 / 8;
            default -> Double.NaN;
        };
    }

    /** A span: a whole number and ms, s, m, h or d. */
    public static Duration span(String text) {
        Matcher m = SPAN.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is no span: a whole number and ms, s, m, h or d, such"
                    + " as 30s or 5m");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a span");
        }
        try {
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a span");
        }
    }

    /** Bytes as people read them: "10.50 GiB". */
    public static String formatBytes(double bytes) {
        String rate = formatRate(bytes);
        return rate.substring(0, rate.length() - 2);
    }

    /** A rate as people read it: "12.5 MiB/s". */
    public static String formatRate(double bytesPerSecond) {
        String[] units = {"B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"};
        double v = bytesPerSecond;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.2f %s", v, units[u]);
    }
}
