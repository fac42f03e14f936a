package io.podhogs.apps;

/** An applications file that cannot be used: one line naming the file, the line and the problem. */
public final class AppRulesException extends Exception {
    public AppRulesException(String message) {
        super(message);
    }
}
