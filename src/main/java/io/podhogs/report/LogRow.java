package io.podhogs.report;

import java.time.Instant;

/**
 * One row of a trace log, as the log gives it: a program (path, or what nethogs prints for unknown
 * traffic), its pid and uid, and two numbers in the log's unit (bytes, KB, MB, or a rate of them).
 *
 * @param user the user's name where the log names it (podhogs's JSON), else empty
 * @param identity what else tells two processes apart in the log (kind, namespace, container), for
 *     keeping their counters apart; empty in a text log
 * @param time the refresh's time where the log has times (podhogs's JSON), else null
 * @param bytesSoFar whether the numbers are bytes since the monitor started whatever its view mode
 *     (podhogs's JSON), rather than numbers in the view mode's unit (a text log)
 */
public record LogRow(String program, long pid, long uid, String user, String identity, double sent, double received,
        Instant time, boolean bytesSoFar) {
}
