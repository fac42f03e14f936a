package io.podhogs.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podhogs.export.api.ApiView;
import io.podhogs.export.api.Pager;
import io.podhogs.export.api.RowQuery;
import io.podhogs.export.api.Rows;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.UncheckedIOException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent's read-only JSON API: this node's pods, containers, processes, namespaces, workloads,
 * applications, connections and interfaces, each with its cumulative counters, its rates over 2, 10 and 40
 * seconds, its peak and its bytes by remote class, as of the agent's last refresh. Every list comes
 * in pages ({@link Pager}); it is served on 127.0.0.1 only (application.properties).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "podhogs", description = "Network usage on this node, per pod, container, process and interface")
@APIResponse(responseCode = "400", description = "A bad parameter: 'error' says which and why",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.Error.class)))
@APIResponse(responseCode = "410", description = "An expired continue token: list again from the first page",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.Error.class)))
@APIResponse(responseCode = "429", description = "Too many requests at once: retry after Retry-After seconds",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.Error.class)))
public class ApiResource {
    @Inject
    Agent agent;

    @Inject
    ObjectMapper mapper;

    private Response page(String list, RowParams params, RowQuery query, Supplier<Pager.Listed> rows) {
        int limit = params.limit(); // every parameter checked before the gate and before any row is read
        String token = params.continueToken();
        try (ApiGate.Pass pass = agent.gate().enter()) {
            byte[] body = agent.pager().page(list, query, limit, token, rows, json());
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
        }
    }

    private Function<Object, byte[]> json() {
        return row -> {
            try {
                return mapper.writeValueAsBytes(row);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private Supplier<Pager.Listed> current(Function<ApiView.Snapshot, List<? extends Rows.Row>> level) {
        return () -> new Pager.Listed(level.apply(agent.api().current()), 0);
    }

    @GET
    @Path("/pods")
    @Operation(summary = "This node's pods, deleted ones for their grace period")
    @APIResponse(responseCode = "200", description = "A page of pods", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.PodPage.class)))
    public Response pods(@BeanParam RowParams params) {
        return page("pods", params, params.query(), current(ApiView.Snapshot::pods));
    }

    @GET
    @Path("/containers")
    @Operation(summary = "Containers: a pod's by their names in its spec, Docker's by theirs")
    @APIResponse(responseCode = "200", description = "A page of containers", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.ContainerPage.class)))
    public Response containers(@BeanParam RowParams params) {
        return page("containers", params, params.query(), current(ApiView.Snapshot::containers));
    }

    @GET
    @Path("/processes")
    @Operation(summary = "Processes, with their pod and container where they have one (command lines redacted)")
    @APIResponse(responseCode = "200", description = "A page of processes", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.ProcessPage.class)))
    public Response processes(@BeanParam RowParams params) {
        return page("processes", params, params.query(), current(ApiView.Snapshot::processes));
    }

    @GET
    @Path("/namespaces")
    @Operation(summary = "Kubernetes namespaces: their pods, deleted ones included")
    @APIResponse(responseCode = "200", description = "A page of namespaces", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.NamespacePage.class)))
    public Response namespaces(@BeanParam RowParams params) {
        return page("namespaces", params, params.query(true, false), current(ApiView.Snapshot::namespaces));
    }

    @GET
    @Path("/workloads")
    @Operation(summary = "Workloads (Deployments, StatefulSets ...): their pods, deleted ones included")
    @APIResponse(responseCode = "200", description = "A page of workloads", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.WorkloadPage.class)))
    public Response workloads(@BeanParam RowParams params) {
        return page("workloads", params, params.query(true, false), current(ApiView.Snapshot::workloads));
    }

    @GET
    @Path("/apps")
    @Operation(summary = "Applications (podhogs.apps.*): processes, containers and pods grouped by rules or automatically")
    @APIResponse(responseCode = "200", description = "A page of applications", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.AppPage.class)))
    public Response apps(@BeanParam RowParams params) {
        return page("apps", params, params.query(false, false), current(ApiView.Snapshot::apps));
    }

    @GET
    @Path("/connections")
    @Operation(summary = "Connections (5-tuples from their sockets' side) with their owner, remote class and rates:"
            + " the busiest the engine copied; 'omitted' says how many it left out")
    @APIResponse(responseCode = "200", description = "A page of connections", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.ConnectionPage.class)))
    public Response connections(@BeanParam RowParams params) {
        // A first page waits for a fresh copy of the flows; a continued one reads the pinned rows.
        return page("connections", params, params.query(), () -> {
            ApiView.Snapshot s = agent.withConnections();
            return new Pager.Listed(s.connections(), s.connectionsOmitted());
        });
    }

    @GET
    @Path("/interfaces")
    @Operation(summary = "The host's side of each interface: every account's bytes there")
    @APIResponse(responseCode = "200", description = "A page of interfaces", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiPages.InterfacePage.class)))
    public Response interfaces(@BeanParam RowParams params) {
        return page("interfaces", params, params.query(false, false), current(ApiView.Snapshot::interfaces));
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiPages.Error(message)).build();
    }

    /** A bad parameter is the caller's to fix: 400 with what is wrong. */
    @Provider
    public static class BadQuery implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        }
    }

    /** A continue token whose rows are no longer kept: 410 Gone, as the API server answers one. */
    @Provider
    public static class ExpiredCursor implements ExceptionMapper<Pager.CursorGone> {
        @Override
        public Response toResponse(Pager.CursorGone e) {
            return error(Response.Status.GONE, e.getMessage());
        }
    }

    /** One request too many at once: 429 with Retry-After (ApiGate says why not 503). */
    @Provider
    public static class TooMany implements ExceptionMapper<ApiGate.Busy> {
        @Override
        public Response toResponse(ApiGate.Busy e) {
            return Response.status(Response.Status.TOO_MANY_REQUESTS).type(MediaType.APPLICATION_JSON)
                    .header("Retry-After", Integer.toString(ApiGate.RETRY_AFTER_SECONDS))
                    .entity(new ApiPages.Error(e.getMessage())).build();
        }
    }
}
