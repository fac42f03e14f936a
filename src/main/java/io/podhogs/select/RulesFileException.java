package io.podhogs.select;

/** A rules file (applications, alerts) that cannot be used: one line naming the file, the line and the problem. */
public final class RulesFileException extends Exception {
    public RulesFileException(String message) {
        super(message);
    }
}
