package io.podhogs.report;

/** A log that cannot be read as a trace log, said in one line naming the file and the line. */
public final class ReportException extends RuntimeException {
    public ReportException(String message) {
        super(message);
    }
}
