package io.podhogs.capture;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Which interfaces to count, by name, as shell globs ({@code veth*}, {@code cali*}, {@code eth[01]}):
 * a name is counted when it matches an include (or none is given) and no exclude. Names change
 * less than indexes do and say what a device is, so patterns keep holding for devices that
 * appear later.
 */
public record InterfacePatterns(List<String> include, List<String> exclude) {
    public static final InterfacePatterns ALL = new InterfacePatterns(List.of(), List.of());

    /** @throws IllegalArgumentException for a pattern that is no glob, with the reason */
    public InterfacePatterns {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        include.forEach(InterfacePatterns::matcher);
        exclude.forEach(InterfacePatterns::matcher);
    }

    public boolean matches(String name) {
        Path path = Path.of(name);
        if (!include.isEmpty() && include.stream().noneMatch(p -> matcher(p).matches(path))) {
            return false;
        }
        return exclude.stream().noneMatch(p -> matcher(p).matches(path));
    }

    /** "veth*,cali* but not veth0" for display. */
    public String describe() {
        String in = include.isEmpty() ? "*" : String.join(",", include);
        return exclude.isEmpty() ? in : in + " but not " + String.join(",", exclude);
    }

    public boolean isAll() {
        return include.isEmpty() && exclude.isEmpty();
    }

    private static PathMatcher matcher(String glob) {
        if (glob.isBlank() || glob.contains("/")) {
            throw new IllegalArgumentException("'" + glob + "' is no interface name pattern");
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + glob + "' is no glob: " + e.getDescription(), e);
        }
    }
}
