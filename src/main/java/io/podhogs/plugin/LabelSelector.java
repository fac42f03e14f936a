package io.podhogs.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kubectl's -l: equality (app=web, app==web, app!=web), sets (tier in (a,b), tier notin (a)) and
 * existence (canary, !legacy), every requirement to hold. Applied here, on the rows' pod labels, as
 * the agents do not know who asks (README.md: access is all or nothing).
 */
record LabelSelector(List<Requirement> requirements) {
    enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }
    }

    static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Parses kubectl's syntax; a usage error (exit 2) names what it could not read. */
    static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            requirements.add(requirement(part.trim(), text));
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    /** Splits on the commas that are not inside a set's parentheses. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement requirement(String part, String whole) {
        Matcher set = Pattern
                .compile("^(\\S+)\\s+(in|notin)\\s*\\(([^()]*)\\)$").matcher(part);
        if (set.matches()) {
            Set<String> values = new LinkedHashSet<>();
            for (String v : set.group(3).split(",")) {
                values.add(v.trim());
            }
            return new Requirement(key(set.group(1), whole), set.group(2).equals("in") ? Op.IN : Op.NOT_IN,
                    Set.copyOf(values));
        }
        int at;
        if ((at = part.indexOf("!=")) > 0) {
            return new Requirement(key(part.substring(0, at), whole), Op.NOT_EQUALS,
                    Set.of(value(part.substring(at + 2), whole)));
        }
        if ((at = part.indexOf("==")) > 0) {
            return new Requirement(key(part.substring(0, at), whole), Op.EQUALS, Set.of(value(part.substring(at + 2), whole)));
        }
        if ((at = part.indexOf('=')) > 0) {
            return new Requirement(key(part.substring(0, at), whole), Op.EQUALS, Set.of(value(part.substring(at + 1), whole)));
        }
        if (part.startsWith("!")) {
            return new Requirement(key(part.substring(1), whole), Op.NOT_EXISTS, Set.of());
        }
        return new Requirement(key(part, whole), Op.EXISTS, Set.of());
    }

    private static String key(String key, String whole) {
        String k = key.trim();
        if (!k.matches("([a-zA-Z0-9.-]+/)?[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?")) {
            throw PluginException.usage("invalid selector \"" + whole + "\": \"" + k + "\" is not a label key");
        }
        return k;
    }

    private static String value(String value, String whole) {
        String v = value.trim();
        if (!v.matches("([a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?)?")) {
            throw PluginException.usage("invalid selector \"" + whole + "\": \"" + v + "\" is not a label value");
        }
        return v;
    }
}
