package io.podhogs.agent;

import io.podhogs.export.api.RowQuery;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The query parameters every list of the API takes, described once. */
public class RowParams {
    @Parameter(description = "Only this namespace")
    @QueryParam("namespace")
    String namespace;

    @Parameter(description = "A label selector: app=web,tier!=db,canary,!legacy")
    @QueryParam("selector")
    String selector;

    @Parameter(description = "sent, received or total (2 s rates, the default); sent-bytes, received-bytes or bytes"
            + " (cumulative)")
    @QueryParam("sort")
    String sort;

    @Parameter(description = "At most this many rows; 0: all")
    @QueryParam("limit")
    @DefaultValue("0")
    int limit;

    RowQuery query() {
        return new RowQuery(namespace, selector, sort, limit);
    }

    /** For rows that have no labels (namespaces, workloads) or no namespace either (interfaces). */
    RowQuery query(boolean byNamespace, boolean bySelector) {
        return new RowQuery(byNamespace ? namespace : null, bySelector ? selector : null, sort, limit);
    }
}
