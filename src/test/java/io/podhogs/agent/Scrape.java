package io.podhogs.agent;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Prometheus text-format scrape, read as a person reads it: a series by its name and some of its labels. */
record Scrape(String text) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the one series of {@code name} whose labels include {@code labels}, if there is one. */
    Optional<Double> value(String name, Map<String, String> labels) {
        Double found = null;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> has = new java.util.HashMap<>();
            Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
            while (l.find()) {
                has.put(l.group(1), l.group(2));
            }
            if (has.entrySet().containsAll(labels.entrySet())) {
                if (found != null) {
                    throw new AssertionError("more than one series of " + name + " with " + labels + ":\n" + text);
                }
                found = Double.parseDouble(m.group(4));
            }
        }
        return Optional.ofNullable(found);
    }

    /** The labels of the one series of {@code name} whose labels include {@code labels}. */
    Map<String, String> labels(String name, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && m.group(1).equals(name)) {
                Map<String, String> has = new java.util.HashMap<>();
                Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
                while (l.find()) {
                    has.put(l.group(1), l.group(2));
                }
                if (has.entrySet().containsAll(labels.entrySet())) {
                    return has;
                }
            }
        }
        throw new AssertionError("no series " + name + " with " + labels);
    }
}
