package io.podhogs.history;

/** A history file that cannot be used, with the one line that says what and how to fix it. */
public final class HistoryException extends Exception {
    public HistoryException(String message) {
        super(message);
    }
}
