package io.podhogs.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.podhogs.export.api.Rows;
import io.podhogs.engine.EngineConfig;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes of the API's pages, for its OpenAPI document: what {@link io.podhogs.export.api.Pager}
 * writes, one record per list. Never built: the pages are written row by row, so that a page stops
 * at its byte bound.
 */
final class ApiPages {
    private ApiPages() {
    }

    static final String CONTINUE = "Present while rows remain: pass it as 'continue' for the next page of the same rows";
    static final String REMAINING = "Rows after this page";
    static final String OMITTED = "Rows the list left out before any query: connections the engine tracked but did"
            + " not copy (it copies the busiest " + EngineConfig.LISTED_CONNECTIONS + "); 0 for other"
            + " lists";

    record PodPage(List<Rows.Pod> items,
                   @Schema(description = CONTINUE) @JsonProperty("continue") String continueToken,
                   @Schema(description = REMAINING) long remaining, @Schema(description = OMITTED) long omitted) {
    }

    record ContainerPage(List<Rows.Container> items,
                         @Schema(description = CONTINUE) @JsonProperty("continue") String continueToken,
                         @Schema(description = REMAINING) long remaining, @Schema(description = OMITTED) long omitted) {
    }

    record ProcessPage(List<Rows.Process> items,
                       @Schema(description = CONTINUE) @JsonProperty("continue") String continueToken,
                       @Schema(description = REMAINING) long remaining, @Schema(description = OMITTED) long omitted) {
    }

    record NamespacePage(List<Rows.Namespace> items,
                         @Schema(description = CONTINUE) @JsonProperty("continue") String continueToken,
                         @Schema(description = REMAINING) long remaining, @Schema(description = OMITTED) long omitted) {
    }

    record WorkloadPage(List<Rows.Workload> items,
                        @Schema(description = CONTINUE) @JsonProperty("continue") String continueToken,
                        @Schema(description = REMAINING) long remaining, @Schema(description = OMITTED) long omitted) {
    }

    record ConnectionPage(List<Rows.Connection> items,
                          @Schema(description = CONTINUE) @JsonProperty("continue") String continueToken,
                          @Schema(description = REMAINING) long remaining, @Schema(description = OMITTED) long omitted) {
    }

    record AppPage(List<Rows.App> items,
                   @Schema(description = CONTINUE) @JsonProperty("continue") String continueToken,
                   @Schema(description = REMAINING) long remaining, @Schema(description = OMITTED) long omitted) {
    }

    record InterfacePage(List<Rows.Interface> items,
                         @Schema(description = CONTINUE) @JsonProperty("continue") String continueToken,
                         @Schema(description = REMAINING) long remaining, @Schema(description = OMITTED) long omitted) {
    }

    /** A refused request: 400 (a bad parameter), 410 (an expired continue token), 429 (too many at once). */
    record Error(String error) {
    }
}
