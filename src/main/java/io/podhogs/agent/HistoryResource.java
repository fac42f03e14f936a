package io.podhogs.agent;

import io.podhogs.history.HistoryException;
import io.podhogs.history.HistoryLevel;
import io.podhogs.history.HistoryOutput;
import io.podhogs.history.HistoryQuery;
import io.podhogs.history.HistoryRow;
import io.podhogs.history.Resolution;
import io.podhogs.report.ReportWriter;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The node's history, as {@code podhogs history -o json} reads it: one answer, bounded to
 * {@link #MAX_ROWS} rows ({@code truncated} says when more matched). 404 when the agent records
 * none, 503 when its file cannot be read.
 */
@Path("/api/v1/history")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "podhogs", description = "Network usage on this node, per pod, container, process and interface")
public class HistoryResource {
    /** Rows one answer holds at most. */
    static final int MAX_ROWS = 10_000;
    static final int MAX_TOP = 1_000;

    @Inject
    Agent agent;

    @Inject
    AgentConfig config;

    @GET
    @Operation(summary = "Recorded traffic per period and program, container, pod, workload, namespace or application:"
            + " each period's top keys by bytes and an 'other' row")
    @APIResponse(responseCode = "200", description = "The rows, oldest period first")
    @APIResponse(responseCode = "404", description = "The agent records no history (podhogs.history.enabled=false)")
    @APIResponse(responseCode = "503", description = "The history file cannot be read: 'error' says why")
    public Response history(@QueryParam("by") @DefaultValue("pod") String by,
                            @QueryParam("resolution") @DefaultValue("days") String resolution,
                            @QueryParam("since") String since, @QueryParam("until") String until,
                            @QueryParam("top") @DefaultValue("10") int top) {
        boolean byWorkload = by.equals("workload");
        HistoryLevel level = byWorkload ? HistoryLevel.POD : HistoryLevel.parse(by);
        if (level == null) {
            throw new IllegalArgumentException("by takes " + HistoryLevel.BY_CHOICES + ", not '" + by + "'");
        }
        Resolution r = Resolution.parse(resolution);
        if (r == null) {
            throw new IllegalArgumentException("resolution takes 5min, hours, days, months or years, not '" + resolution + "'");
        }
        if (top < 1 || top > MAX_TOP) {
            throw new IllegalArgumentException("top must be 1 to " + MAX_TOP + ", not " + top);
        }
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (!config.history().enabled()) {
            return error(Response.Status.NOT_FOUND, "this agent records no history (podhogs.history.enabled=false)");
        }
        try (ApiGate.Pass pass = agent.gate().enter();
             HistoryQuery query = HistoryQuery.open(java.nio.file.Path.of(config.history().file()))) {
            List<HistoryRow> rows = query.rows(r, level, byWorkload, from, to, top, MAX_ROWS + 1);
            HistoryOutput fields = new HistoryOutput(null, ReportWriter.Format.JSON, r, level, byWorkload, query.zone());
            List<Map<String, Object>> items = new ArrayList<>();
            for (HistoryRow row : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
                items.add(fields.fields(row));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("resolution", r.label());
            body.put("by", by);
            body.put("zone", query.zone().getId());
            body.put("items", items);
            body.put("truncated", rows.size() > MAX_ROWS);
            return Response.ok(body).build();
        } catch (HistoryException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " takes an RFC 3339 time such as 2026-12-05T00:00:00Z, not '" + value + "'");
        }
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiPages.Error(message)).build();
    }
}
