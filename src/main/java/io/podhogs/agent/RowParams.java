package io.podhogs.agent;

import io.podhogs.export.api.Pager;
import io.podhogs.export.api.RowQuery;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters every list of the API takes, described once. They are read as text and
 * checked here, so that a bad one is a 400 that says what is wrong (a JAX-RS int parameter that is
 * not a number would be a 404 with no body), and a parameter the API does not know is refused rather
 * than ignored (a misspelt {@code limt} would otherwise silently list everything).
 */
public class RowParams {
    static final Set<String> KNOWN = Set.of("namespace", "selector", "sort", "limit", "continue");

    @Parameter(description = "Only this namespace")
    @QueryParam("namespace")
    String namespace;

    @Parameter(description = "A label selector, equality-based: app=web,tier!=db,canary,!legacy")
    @QueryParam("selector")
    String selector;

    @Parameter(description = "sent, received or total (2 s rates, the default); sent-bytes, received-bytes or bytes"
            + " (cumulative)")
    @QueryParam("sort")
    String sort;

    @Parameter(description = "Rows a page: 1 or more, default " + Pager.DEFAULT_LIMIT + ", at most " + Pager.MAX_LIMIT
            + " (a page also ends before about 4 MiB of JSON); follow 'continue' for the rest",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
    @QueryParam("limit")
    String limit;

    @Parameter(description = "The 'continue' of the page before: the next page of the same rows (as they were at the"
            + " first page)")
    @QueryParam("continue")
    String continueToken;

    @Context
    UriInfo uri;

    /** Which rows and in what order; for rows with no labels or no namespace, those parameters are refused. */
    RowQuery query(boolean byNamespace, boolean bySelector) {
        Set<String> unknown = new TreeSet<>(uri.getQueryParameters().keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter " + String.join(", ", unknown) + ": the lists take "
                    + "namespace, selector, sort, limit and continue");
        }
        if (!byNamespace && namespace != null && !namespace.isEmpty()) {
            throw new IllegalArgumentException("namespace does not apply to this list: its rows are of no namespace");
        }
        if (!bySelector && selector != null && !selector.isBlank()) {
            throw new IllegalArgumentException("selector does not apply to this list: its rows have no labels");
        }
        return new RowQuery(namespace, selector, sort);
    }

    RowQuery query() {
        return query(true, true);
    }

    /** The limit asked for, or the default. */
    int limit() {
        if (limit == null || limit.isEmpty()) {
            return Pager.DEFAULT_LIMIT;
        }
        String digits = limit.strip();
        if (digits.matches("[0-9]{10,}")) {
            return Pager.MAX_LIMIT; // a number, only a large one: as many as a page holds
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a whole number of rows (1 to " + Pager.MAX_LIMIT
                    + "), not '" + limit + "'");
        }
    }

    /** The continue token, or null for a first page. */
    String continueToken() {
        return continueToken == null || continueToken.isEmpty() ? null : continueToken;
    }
}
