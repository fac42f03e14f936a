package io.podhogs.plugin;

import java.time.Duration;

/**
 * A way to one agent's JSON API: GETs of its paths, each bounded in time. Closing it releases what
 * it holds (a port-forward's local port and streams).
 */
interface AgentChannel extends AutoCloseable {
    /**
     * What the agent answered, or why nothing came.
     *
     * @param status the agent's HTTP status, or the refusal's (403) when failure is set, else 0
     * @param failure why there is no answer from the agent (unreachable, refused), or null
     * @param timedOut no answer came in the time given (failure is then null)
     */
    record Answer(int status, String body, String failure, boolean timedOut) {
        static Answer of(int status, String body) {
            return new Answer(status, body, null, false);
        }

        static Answer failed(int status, String failure) {
            return new Answer(status, "", failure, false);
        }

        static Answer timeout() {
            return new Answer(0, "", null, true);
        }
    }

    /** GET {@code pathAndQuery} (/api/v1/pods?limit=500) of the agent. */
    Answer get(String pathAndQuery, Duration timeout);

    @Override
    void close();
}
