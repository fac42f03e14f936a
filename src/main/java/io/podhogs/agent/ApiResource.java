package io.podhogs.agent;

import io.podhogs.export.api.ApiView;
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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
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

    private <T extends Rows.Row> List<T> rows(Function<ApiView.Snapshot, List<T>> level, RowQuery query) {
        return query.apply(level.apply(agent.api().current()));
    }

    @GET
    @Path("/pods")
    @Operation(summary = "This node's pods, deleted ones for their grace period")
    public List<Rows.Pod> pods(@BeanParam RowParams params) {
        return rows(ApiView.Snapshot::pods, params.query());
    }

    @GET
    @Path("/containers")
    @Operation(summary = "Containers: a pod's by their names in its spec, Docker's by theirs")
    public List<Rows.Container> containers(@BeanParam RowParams params) {
        return rows(ApiView.Snapshot::containers, params.query());
    }

    @GET
    @Path("/processes")
    @Operation(summary = "Processes, with their pod and container where they have one")
    public List<Rows.Process> processes(@BeanParam RowParams params) {
        return rows(ApiView.Snapshot::processes, params.query());
    }

    @GET
    @Path("/namespaces")
    @Operation(summary = "Kubernetes namespaces: their pods, deleted ones included")
    public List<Rows.Namespace> namespaces(@BeanParam RowParams params) {
        return rows(ApiView.Snapshot::namespaces, params.query(true, false));
    }

    @GET
    @Path("/workloads")
    @Operation(summary = "Workloads (Deployments, StatefulSets ...): their pods, deleted ones included")
    public List<Rows.Workload> workloads(@BeanParam RowParams params) {
        return rows(ApiView.Snapshot::workloads, params.query(true, false));
    }

    @GET
    @Path("/connections")
    @Operation(summary = "Connections (5-tuples from their sockets' side) with their owner, remote class and rates")
    public List<Rows.Connection> connections(@BeanParam RowParams params) {
        RowQuery query = params.query(); // a bad parameter is refused before waiting for a copy of the flows
        return query.apply(agent.withConnections().connections());
    }

    @GET
    @Path("/interfaces")
    @Operation(summary = "The host's side of each interface: every account's bytes there")
    public List<Rows.Interface> interfaces(@BeanParam RowParams params) {
        return rows(ApiView.Snapshot::interfaces, params.query(false, false));
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
