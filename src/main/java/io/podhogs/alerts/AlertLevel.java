package io.podhogs.alerts;

import java.util.Locale;

/**
 * What an alert rule watches each of: its bytes are summed per process, application, container,
 * pod or namespace; a volume rule's per program (path and user: the history keeps no PIDs) too.
 */
public enum AlertLevel {
    PROCESS, PROGRAM, APP, CONTAINER, POD, NAMESPACE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level named {@code text} (as {@link #label}), or null. */
    public static AlertLevel parse(String text) {
        for (AlertLevel l : values()) {
            if (l.label().equals(text)) {
                return l;
            }
        }
        return null;
    }
}
