package io.podhogs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Text for the /proc, /sys and /etc parsers' properties: the real samples in
 * src/test/resources/proc (README.md there), mutated the ways a file read while it changes, a
 * kernel of another version or a hostile tree could differ: fields replaced by numbers too large,
 * negative, non-hex or empty, separators added or removed, lines cut or joined, and plain garbage.
 */
public final class TextGen {
    /** Characters the parsers split and look on, and a few they never expect. */
    private static final String SPECIALS = " \t:=/()[]._-+\0\n,x%";
    private static final String[] TOKENS = {"", "0", "-1", "+1", "00", "FFFFFFFF", "ffffffffffffffff", "4294967295",
            "4294967296", "2147483648", "-2147483648", "9223372036854775808", "65535", "65536", "99999", "0x10",
            "1e3", "localhost", "example.com", "::", "::1", "::ffff:1.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1",
            "1.2.3.999", "fe80::1%eth0", "[::1]", "src=", "dst=", "sport=", "dport=", ")", "((", ":", "net:[", "]",
            "socket:[12]", "|-- ", "/32 host LOCAL", "Uid:", "kubepods", "pod", "docker-", ".scope", "-"};

    private TextGen() {
    }

    /** The lines of a sample in src/test/resources/proc. */
    public static List<String> sample(String name) {
        return text(name).lines().toList();
    }

    /** A sample's whole text (ISO-8859-1, as HostFiles reads it). */
    public static String text(String name) {
        try (InputStream in = TextGen.class.getResourceAsStream("/proc/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample proc/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token: a tricky one, a number, hex, or garbage. */
    public static String token(Draws d) {
        return switch (d.below(5)) {
            case 0, 1 -> TOKENS[d.below(TOKENS.length)];
            case 2 -> Long.toString(d.int64() >> d.below(64));
            case 3 -> String.format("%016X", d.int64()).substring(0, d.between(1, 16));
            default -> d.text("0123456789abcdefABCDEF" + SPECIALS + "gzé", 12);
        };
    }

    /** One line changed a few times. */
    public static String mutate(Draws d, String line) {
        String s = line;
        int changes = d.between(1, 3);
        for (int c = 0; c < changes; c++) {
            switch (d.below(7)) {
                case 0 -> { // a whitespace-separated field replaced
                    String[] f = s.trim().split("\\s+", -1);
                    f[d.below(f.length)] = token(d);
                    s = String.join(" ", f);
                }
                case 1 -> s = insert(s, d.below(s.length() + 1), token(d));
                case 2 -> s = insert(s, d.below(s.length() + 1), String.valueOf(SPECIALS.charAt(d.below(SPECIALS.length()))));
                case 3 -> { // characters removed
                    if (!s.isEmpty()) {
                        int at = d.below(s.length());
                        s = s.substring(0, at) + s.substring(Math.min(s.length(), at + d.between(1, 6)));
                    }
                }
                case 4 -> s = s.substring(0, d.below(s.length() + 1)); // cut short
                case 5 -> { // the value after a '=' or ':' replaced
                    int at = Math.max(s.indexOf('=', d.below(s.length() + 1)), s.indexOf(':', d.below(s.length() + 1)));
                    if (at >= 0) {
                        int end = s.indexOf(' ', at);
                        s = s.substring(0, at + 1) + token(d) + (end < 0 ? "" : s.substring(end));
                    }
                }
                default -> { // a character changed
                    if (!s.isEmpty()) {
                        int at = d.below(s.length());
                        s = s.substring(0, at) + SPECIALS.charAt(d.below(SPECIALS.length())) + s.substring(at + 1);
                    }
                }
            }
        }
        return s;
    }

    /** Lines of a sample, some kept, some mutated, some garbage, in any number and order. */
    public static List<String> lines(Draws d, String sample) {
        List<String> base = sample(sample);
        int n = d.below(12);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String line = base.get(d.below(base.size()));
            out.add(switch (d.below(4)) {
                case 0 -> line;
                case 1, 2 -> mutate(d, line);
                default -> d.text("0123456789abcdefABCDEF" + SPECIALS + "gz", 80);
            });
        }
        return out;
    }

    /** A sample's text, kept, mutated, or garbage. */
    public static String whole(Draws d, String sample) {
        String text = text(sample);
        return switch (d.below(4)) {
            case 0 -> text;
            case 1, 2 -> mutate(d, text);
            default -> d.text("0123456789abcdefABCDEF" + SPECIALS + "gz", 120);
        };
    }

    private static String insert(String s, int at, String what) {
        return s.substring(0, at) + what + s.substring(at);
    }
}
