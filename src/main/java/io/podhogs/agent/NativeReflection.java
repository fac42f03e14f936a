package io.podhogs.agent;

import io.podhogs.export.api.Rows;
import io.podhogs.export.api.Usage;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records the JSON API (ApiResource) writes with Jackson, for the native image. Its pages are
 * written row by row (Pager), so Quarkus sees no typed return value to register: every row record
 * and what it holds (Usage, and Usage.Rate and Usage.ClassUsage in its maps) and the error record
 * are listed here. NativeConfigTest checks that this list covers the rows of every page the API's
 * OpenAPI annotations describe.
 */
@RegisterForReflection(targets = {
        Rows.Pod.class,
        Rows.Container.class,
        Rows.Process.class,
        Rows.Namespace.class,
        Rows.Workload.class,
        Rows.App.class,
        Rows.Connection.class,
        Rows.Interface.class,
        Usage.class,
        Usage.Rate.class,
        Usage.ClassUsage.class,
        ApiPages.Error.class,
})
final class NativeReflection {
    private NativeReflection() {
    }
}
