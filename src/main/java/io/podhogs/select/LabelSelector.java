package io.podhogs.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Kubernetes's equality-based label selector, as the API's {@code selector} takes it:
 * {@code app=web,tier!=db,canary,!legacy} ({@code ==} is {@code =}). Keys and values must be what
 * a label may hold (a key an optional DNS-subdomain prefix and a name of 63 characters at most, a
 * value empty or a name), so that a typo such as {@code app===x=} is refused with what is wrong
 * rather than read as something else and answered with no rows.
 */
public final class LabelSelector {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private LabelSelector() {
    }

    /** What the selector selects; null or blank selects everything. */
    public static Predicate<Map<String, String>> parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return labels -> true;
        }
        List<Predicate<Map<String, String>>> terms = new ArrayList<>();
        for (String raw : selector.split(",", -1)) {
            terms.add(term(raw.strip(), selector));
        }
        return labels -> {
            for (Predicate<Map<String, String>> t : terms) {
                if (!t.test(labels)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Predicate<Map<String, String>> term(String t, String whole) {
        if (t.isEmpty()) {
            throw bad(whole, "an empty term (two commas, or one at an end)");
        }
        int ne = t.indexOf("!=");
        int eq = t.indexOf('=');
        if (ne >= 0 && ne < eq) {
            String key = key(t.substring(0, ne), whole);
            String value = value(t.substring(ne + 2), whole);
            return labels -> !value.equals(labels.get(key));
        }
        if (eq >= 0) {
            int valueStart = t.startsWith("==", eq) ? eq + 2 : eq + 1;
            String key = key(t.substring(0, eq), whole);
            String value = value(t.substring(valueStart), whole);
            return labels -> value.equals(labels.get(key));
        }
        if (t.startsWith("!")) {
            String key = key(t.substring(1), whole);
            return labels -> !labels.containsKey(key);
        }
        String key = key(t, whole);
        return labels -> labels.containsKey(key);
    }

    private static String key(String raw, String whole) {
        String k = raw.strip();
        int slash = k.indexOf('/');
        String name = slash < 0 ? k : k.substring(slash + 1);
        boolean prefixOk = slash < 0 || (slash <= 253 && PREFIX.matcher(k.substring(0, slash)).matches());
        if (k.isEmpty() || !prefixOk || name.length() > 63 || !NAME.matcher(name).matches()) {
            throw bad(whole, "'" + k + "' is not a label key");
        }
        return k;
    }

    private static String value(String raw, String whole) {
        String v = raw.strip();
        if (v.length() > 63 || !(v.isEmpty() || NAME.matcher(v).matches())) {
            throw bad(whole, "'" + v + "' is not a label value");
        }
        return v;
    }

    private static IllegalArgumentException bad(String whole, String why) {
        return new IllegalArgumentException("selector '" + whole + "': " + why + " (terms: key=value, key==value,"
                + " key!=value, key, !key, separated by commas)");
    }
}
