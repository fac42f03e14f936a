package io.podhogs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * podhogs's {@code --json} lines: one object per account per refresh, with the refresh's time and
 * each account's bytes since the monitor started (whatever the view mode), so a report of them is
 * exact. An account is told apart by its program, pid and uid, and by its kind, namespace and
 * container, so that two namespaces' unknown rows are not taken for one.
 */
final class JsonTraceLog implements TraceFormat {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final LogEvents events;

    JsonTraceLog(String file, LogEvents events) {
        this.file = file;
        this.events = events;
    }

    @Override
    public boolean line(String line, int number, boolean last) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            if (last) {
                return false;
            }
            throw new ReportException(file + ":" + number + ": not a JSON line of podhogs --json: "
                    + TextTraceLog.shorten(line));
        }
        if ("summary".equals(o.path("kind").asText())) {
            return true; // podhogs's summary at a run's end: its totals again, nothing to add up
        }
        String time = text(o, "time", number);
        Instant at;
        try {
            at = Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new ReportException(file + ":" + number + ": \"time\" is not an ISO-8601 instant: " + time);
        }
        String identity = text(o, "kind", number) + "|" + o.path("netns").asLong(0) + "|"
                + o.path("container_id").asText("");
        events.row(new LogRow(text(o, "program", number), whole(o, "pid", number), whole(o, "uid", number),
                o.path("user").asText(""), identity, whole(o, "sent_bytes", number), whole(o, "received_bytes", number),
                at, true));
        return true;
    }

    private String text(JsonNode o, String field, int number) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new ReportException(file + ":" + number + ": a podhogs --json line names \"" + field
                    + "\" as a string, this one does not");
        }
        return v.asText();
    }

    private long whole(JsonNode o, String field, int number) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new ReportException(file + ":" + number + ": a podhogs --json line has a whole number \"" + field
                    + "\", this one has not");
        }
        return v.asLong();
    }
}
