package io.podhogs.agent;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most N API requests at work at once. One more is refused at once with 429 Too Many Requests
 * and Retry-After, not queued: a queue would hold a worker thread and memory per waiting request,
 * which is what a flood of requests would exhaust. 429 rather than 503 because the agent is well and
 * only asks the caller to slow down (503 says the service is unavailable, which the kubelet, proxies
 * and load balancers read as a backend to avoid); the API server answers its own overload so too.
 */
final class ApiGate {
    /** Seconds a refused caller is asked to wait: a page is built in well under that. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final Semaphore permits;
    private final int size;
    private final AtomicLong refused = new AtomicLong();

    ApiGate(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("podhogs.api.max-concurrent-requests must be 1 or more, not " + size);
        }
        this.size = size;
        this.permits = new Semaphore(size);
    }

    /** A request let in; closing it lets the next one in. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** The one request too many. */
    static final class Busy extends RuntimeException {
        Busy(int size) {
            super("too many requests at once (this agent answers " + size + " at a time): retry after "
                    + RETRY_AFTER_SECONDS + " s", null, false, false);
        }
    }

    Pass enter() {
        if (!permits.tryAcquire()) {
            refused.incrementAndGet();
            throw new Busy(size);
        }
        return permits::release;
    }

    /** Requests refused since the start. */
    long refused() {
        return refused.get();
    }
}
