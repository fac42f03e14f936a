package io.podhogs.report;

/** What a trace log says, in order, as its readers hand it on. */
public interface LogEvents {
    /** The monitor started (again): every counter after this begins at zero. */
    void monitorStarted();

    void row(LogRow row);
}
