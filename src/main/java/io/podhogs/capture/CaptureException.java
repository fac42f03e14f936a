package io.podhogs.capture;

/**
 * A capture that cannot start, with a message fit to show a user as is: one line that says what
 * went wrong and how to fix it.
 */
public class CaptureException extends Exception {
    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
