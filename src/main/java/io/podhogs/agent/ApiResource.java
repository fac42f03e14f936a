package io.podhogs.agent;

import io.podhogs.export.api.ApiView;
import io.podhogs.export.api.RowQuery;
import io.podhogs.export.api.Rows;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent's read-only JSON API: this node's pods, containers, processes, namespaces, workloads
 * and interfaces, each with its cumulative counters, its rates over 2, 10 and 40 seconds, its peak
 * and its bytes by remote class, as of the agent's last refresh.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "podhogs", description = "Network usage on this node, per pod, container, process and interface")
public class ApiResource {
    @Inject
    Agent agent;

    private <T extends Rows.Row> List<T> rows(Function<ApiView.Snapshot, List<T>> level, String namespace,
                                              String selector, String sort, int limit) {
        RowQuery query = new RowQuery(namespace, selector, sort, limit);
        return query.apply(level.apply(agent.api().current()));
    }

    @GET
    @Path("/pods")
    @Operation(summary = "This node's pods, deleted ones for their grace period")
    public List<Rows.Pod> pods(@Parameter(description = "Only this namespace") @QueryParam("namespace") String namespace,
                               @Parameter(description = "A label selector: app=web,tier!=db,canary,!legacy")
                               @QueryParam("selector") String selector,
                               @Parameter(description = "sent, received or total (2 s rates, the default);"
                                       + " sent-bytes, received-bytes or bytes (cumulative)") @QueryParam("sort") String sort,
                               @Parameter(description = "At most this many rows; 0: all") @QueryParam("limit")
                               @DefaultValue("0") int limit) {
        return rows(ApiView.Snapshot::pods, namespace, selector, sort, limit);
    }

    @GET
    @Path("/containers")
    @Operation(summary = "Containers: a pod's by their names in its spec, Docker's by theirs")
    public List<Rows.Container> containers(@QueryParam("namespace") String namespace, @QueryParam("selector") String selector,
                                           @QueryParam("sort") String sort, @QueryParam("limit") @DefaultValue("0") int limit) {
        return rows(ApiView.Snapshot::containers, namespace, selector, sort, limit);
    }

    @GET
    @Path("/processes")
    @Operation(summary = "Processes, with their pod and container where they have one")
    public List<Rows.Process> processes(@QueryParam("namespace") String namespace, @QueryParam("selector") String selector,
                                        @QueryParam("sort") String sort, @QueryParam("limit") @DefaultValue("0") int limit) {
        return rows(ApiView.Snapshot::processes, namespace, selector, sort, limit);
    }

    @GET
    @Path("/namespaces")
    @Operation(summary = "Kubernetes namespaces: their pods, deleted ones included")
    public List<Rows.Namespace> namespaces(@QueryParam("namespace") String namespace, @QueryParam("sort") String sort,
                                           @QueryParam("limit") @DefaultValue("0") int limit) {
        return rows(ApiView.Snapshot::namespaces, namespace, null, sort, limit);
    }

    @GET
    @Path("/workloads")
    @Operation(summary = "Workloads (Deployments, StatefulSets ...): their pods, deleted ones included")
    public List<Rows.Workload> workloads(@QueryParam("namespace") String namespace, @QueryParam("sort") String sort,
                                         @QueryParam("limit") @DefaultValue("0") int limit) {
        return rows(ApiView.Snapshot::workloads, namespace, null, sort, limit);
    }

    @GET
    @Path("/connections")
    @Operation(summary = "Connections (5-tuples from their sockets' side) with their owner, remote class and rates")
    public List<Rows.Connection> connections(@QueryParam("namespace") String namespace,
                                             @QueryParam("selector") String selector, @QueryParam("sort") String sort,
                                             @QueryParam("limit") @DefaultValue("0") int limit) {
        RowQuery query = new RowQuery(namespace, selector, sort, limit);
        return query.apply(agent.withConnections().connections());
    }

    @GET
    @Path("/interfaces")
    @Operation(summary = "The host's side of each interface: every account's bytes there")
    public List<Rows.Interface> interfaces(@QueryParam("sort") String sort, @QueryParam("limit") @DefaultValue("0") int limit) {
        return rows(ApiView.Snapshot::interfaces, null, null, sort, limit);
    }

    /** A bad parameter is the caller's to fix: 400 with what is wrong. */
    @Provider
    public static class BadQuery implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", e.getMessage())).build();
        }
    }
}
