package io.podhogs.report;

/**
 * One row of a report: a program, a process or a user, with its bytes.
 *
 * @param pid the process's pid, or -1 in rows of programs and users
 * @param uid the user's uid, or -1 in rows of programs
 * @param processes how many processes (program, pid, uid) the row sums
 */
public record ReportRow(String program, long pid, long uid, String user, long sentBytes, long receivedBytes,
        int processes) {
}
