package io.podhogs.names;

import io.podhogs.capture.Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Reverse DNS (PTR, and /etc/hosts, as the system's resolver answers it) for addresses no DNS answer
 * named, as iftop resolves: asked on a thread of its own, never on the caller's, which gets what is
 * known now and an empty name meanwhile. Bounded: the cache (answers and "no name" alike, for an
 * hour) lets the least recently used go, and the queue of addresses to ask drops what finds it full,
 * counted; each is asked again later.
 */
final class ReverseNames implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReverseNames.class);
    static final int MAX_CACHED = 10_000;
    static final int MAX_QUEUED = 1_000;
    private static final long KEEP_NANOS = 3_600_000_000_000L;

    private record Address(long hi, long lo) {
    }

    private record Answer(String name, long atNanos) {
    }

    private final Function<InetAddress, String> resolver;
    private final Map<Address, Answer> cache = new LinkedHashMap<>(256, 0.75f, true);
    private final BlockingQueue<Address> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final Map<Address, Boolean> queued = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long overflow;

    /** @param resolver an address's name, or its literal when it has none (InetAddress's contract) */
    ReverseNames(Function<InetAddress, String> resolver) {
        this.resolver = resolver;
        this.thread = new Thread(this::run, "podhogs-reverse-dns");
        thread.setDaemon(true);
        thread.start();
    }

    /** The system's resolver. */
    static ReverseNames system() {
        return new ReverseNames(InetAddress::getCanonicalHostName);
    }

    /** The name known for {@code hi/lo}, "" for none yet or none at all; asks for it if not known. */
    String name(long hi, long lo, long nowNanos) {
        Address a = new Address(hi, lo);
        synchronized (this) {
            Answer known = cache.get(a);
            if (known != null && nowNanos - known.atNanos() < KEEP_NANOS) {
                return known.name();
            }
        }
        if (queued.putIfAbsent(a, Boolean.TRUE) == null && !queue.offer(a)) {
            queued.remove(a);
            synchronized (this) {
                overflow++;
            }
        }
        return "";
    }

    private void run() {
        while (running) {
            Address a;
            try {
                a = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return; // close()
            }
            if (a == null) {
                continue;
            }
            String name = "";
            try {
                InetAddress address = InetAddress.getByAddress(bytes(a));
                String answer = resolver.apply(address);
                name = answer == null || answer.equals(address.getHostAddress()) ? "" : answer;
            } catch (UnknownHostException | RuntimeException e) {
                LOG.debugf("reverse DNS of %s: %s", Addresses.format(a.hi(), a.lo()), e);
            }
            synchronized (this) {
                cache.put(a, new Answer(name, System.nanoTime()));
                if (cache.size() > MAX_CACHED) {
                    var eldest = cache.keySet().iterator();
                    eldest.next();
                    eldest.remove();
                }
            }
            queued.remove(a);
        }
    }

    private static byte[] bytes(Address a) {
        if (Addresses.isV4Mapped(a.hi(), a.lo())) {
            return ByteBuffer.allocate(4).putInt((int) a.lo()).array();
        }
        return ByteBuffer.allocate(16).putLong(a.hi()).putLong(a.lo()).array();
    }

    /** Addresses not asked because the queue was full (asked again when shown again). */
    synchronized long overflow() {
        return overflow;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
