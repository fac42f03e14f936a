package io.podhogs.agent;

import io.podhogs.export.api.Rows;
import io.podhogs.export.api.Usage;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records the JSON API (ApiResource) writes with Jackson, for the native image. Quarkus registers
 * a resource method's return type (List&lt;Rows.Pod&gt; ...), but Jackson also reads by reflection the
 * records inside them: Usage, and Usage.Rate and Usage.ClassUsage in its maps. Listing every row
 * record and what it holds does not depend on how far Quarkus follows generic types. NativeConfigTest
 * checks that this list covers every podhogs type the API's methods return.
 */
@RegisterForReflection(targets = {
        Rows.Pod.class,
        Rows.Container.class,
        Rows.Process.class,
        Rows.Namespace.class,
        Rows.Workload.class,
        Rows.Connection.class,
        Rows.Interface.class,
        Usage.class,
        Usage.Rate.class,
        Usage.ClassUsage.class,
})
final class NativeReflection {
    private NativeReflection() {
    }
}
