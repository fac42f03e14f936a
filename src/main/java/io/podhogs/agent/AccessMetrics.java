package io.podhogs.agent;

import io.podhogs.export.api.Pager;
import io.podhogs.names.RemoteNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the agent's bounds beside the traffic turned away, as counters beside the traffic's: API
 * requests refused (429), pinned lists dropped before their last page (idle, or to make room), the
 * reviews of /metrics's tokens, asked and dropped to make room, and the names' (DNS answers read and
 * dropped with the ring full, names forgotten at the table's bound, addresses reverse DNS could not
 * queue).
 */
final class AccessMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    /** Micrometer holds a function counter's object weakly: these are held here, as long as the meters. */
    private final List<Supplier<Long>> values = new ArrayList<>();

    AccessMetrics(MeterRegistry registry, String node, ApiGate gate, Pager pager,
                  Supplier<TokenReviews> reviews, Supplier<RemoteNames> names) {
        this.registry = registry;
        counter("podhogs.api.requests.refused", "API requests answered 429: more than the agent answers at once", node,
                () -> gate.refused());
        counter("podhogs.api.lists.dropped", "Pinned API lists dropped before their last page was asked (idle, or to"
                + " make room): their continue tokens are 410", node, pager::dropped);
        counter("podhogs.metrics.auth.reviews", "TokenReviews (each with its SubjectAccessReview) asked for tokens of"
                + " /metrics", node, () -> reviews.get() == null ? 0 : reviews.get().reviews());
        counter("podhogs.metrics.auth.evictions", "Tokens' answers dropped before their time to make room", node,
                () -> reviews.get() == null ? 0 : reviews.get().evictions());
        counter("podhogs.names.dns.answers", "DNS answers read for the names of connections' remote ends", node,
                () -> names.get().stats().answersRead());
        counter("podhogs.names.dns.dropped", "DNS answers dropped with the ring full: names not learned", node,
                () -> names.get().stats().ringDropped());
        counter("podhogs.names.evicted", "Names of addresses forgotten at the name table's bound", node,
                () -> names.get().stats().evicted());
        counter("podhogs.names.reverse.overflow", "Addresses reverse DNS could not queue (asked again when shown"
                + " again)", node, () -> names.get().stats().reverseOverflow());
    }

    private void counter(String name, String help, String node, Supplier<Long> value) {
        values.add(value);
        meters.add(FunctionCounter.builder(name, value, v -> v.get()).description(help).tag("node", node)
                .register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
