package io.podhogs.names;

import io.podhogs.attribution.FlowKey;
import io.podhogs.capture.CaptureException;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.capture.DnsAnswerCapture;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The names of connections' remote ends, beside the packet path: names the DNS answers gave (a
 * handle of their own on port 53, {@link DnsAnswerCapture}, into a bounded ring, read here a few
 * times a second) and, where none did and it is on, reverse DNS ({@link ReverseNames}). Asked by the
 * outputs for the rows they show, never per packet. Names are fields of the API, JSON and the top
 * view, never metric labels (every remote address would be a series).
 */
public final class RemoteNames implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RemoteNames.class);
    private static final int RING_SLOTS = 512;
    /** A burst of answers is read a batch at a time: a few times a second at most. */
    private static final long READ_EVERY_NANOS = 100_000_000L;
    /** Longest sleep without answers: the ring wakes the reader when one comes (and close() does). */
    private static final long IDLE_WAIT_NANOS = 5_000_000_000L;

    /** No names: every answer empty. */
    public static final RemoteNames NONE = new RemoteNames(null, null, null, null, false);

    /** What an output shows of the names' health. */
    public record Stats(long answersRead, int names, long evicted, long ringDropped, long reverseOverflow,
                        CaptureStatus capture) {
    }

    private final DnsRing ring;
    private final NameTable table;
    private final ReverseNames reverse;
    private final DnsAnswerCapture capture;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile long answersRead;

    private RemoteNames(DnsRing ring, NameTable table, ReverseNames reverse, DnsAnswerCapture capture,
                        boolean readerThread) {
        this.ring = ring;
        this.table = table;
        this.reverse = reverse;
        this.capture = capture;
        if (readerThread) {
            reader = new Thread(this::read, "podhogs-dns-answers");
            reader.setDaemon(true);
            reader.start();
        } else {
            reader = null;
        }
    }

    /**
     * Names from DNS answers, and from reverse DNS when {@code reverseDns}. Without a handle on port
     * 53 (no libpcap, no privilege) the names come from reverse DNS alone, said once in the log.
     */
    public static RemoteNames start(boolean reverseDns) {
        return start(true, reverseDns);
    }

    /** As {@link #start(boolean)}, names from DNS answers only when {@code dns}; none at all without either. */
    public static RemoteNames start(boolean dns, boolean reverseDns) {
        if (!dns && !reverseDns) {
            return NONE;
        }
        DnsRing ring = new DnsRing(RING_SLOTS);
        DnsAnswerCapture capture = null;
        if (dns) {
            try {
                capture = DnsAnswerCapture.start(ring::offer);
            } catch (CaptureException e) {
                LOG.warnf("no names from DNS answers (%s)%s", e.getMessage(), reverseDns ? ": reverse DNS only" : "");
            }
        }
        return new RemoteNames(ring, new NameTable(NameTable.MAX), reverseDns ? ReverseNames.system() : null, capture,
                capture != null);
    }

    /**
     * Names learned from the answers put in {@code ring} by its caller, read when it calls
     * {@link #readOnce} (no handle, no thread of its own): for tests of what shows names.
     */
    public static RemoteNames fromAnswers(DnsRing ring) {
        return of(ring, null);
    }

    /** As {@link #fromAnswers}, with reverse DNS by {@code reverse}. */
    static RemoteNames of(DnsRing ring, ReverseNames reverse) {
        return new RemoteNames(ring, new NameTable(NameTable.MAX), reverse, null, false);
    }

    /**
     * The name of the remote address {@code hi/lo} of a connection on {@code ifindex}: the name a DNS
     * answer gave it, else reverse DNS's (asked now, known later), else "".
     */
    public String name(int ifindex, long hi, long lo) {
        if (table != null) {
            NameTable.Name n = table.name(ifindex, hi, lo);
            if (n != null) {
                return n.name();
            }
        }
        return reverse == null ? "" : reverse.name(hi, lo, System.nanoTime());
    }

    /**
     * A connection's remote end as the outputs show it: the cluster's name for it (a pod, Service or
     * node; {@code clusterName}, empty where the cluster names none) before any other.
     */
    public String name(String clusterName, FlowKey flow) {
        return !clusterName.isEmpty() ? clusterName : name(flow.ifindex(), flow.remoteHi(), flow.remoteLo());
    }

    public Stats stats() {
        return new Stats(answersRead, table == null ? 0 : table.size(), table == null ? 0 : table.evicted(),
                ring == null ? 0 : ring.dropped(), reverse == null ? 0 : reverse.overflow(),
                capture == null ? null : capture.status());
    }

    private void read() {
        while (running) {
            if (readOnce() > 0) {
                LockSupport.parkNanos(READ_EVERY_NANOS);
            } else {
                ring.awaitAnswer(IDLE_WAIT_NANOS); // an idle host: no wake-up until an answer comes
            }
            Thread.interrupted(); // nothing stops this thread by interrupting it: a stray one would spin it
        }
    }

    /**
     * Reads what the ring holds now (its own thread does, at once after a quiet spell and a few
     * times a second while answers come); how many answers it read.
     */
    public int readOnce() {
        int n = ring.drain((message, length, ifindex, overTcp) -> {
            // Over TCP a message starts with its length; one segment holds it whole or in part.
            int off = overTcp ? 2 : 0;
            for (DnsAnswers.Answer a : DnsAnswers.parse(message, off, length - off)) {
                table.learn(ifindex, a.hi(), a.lo(), a.name(), a.ttlSeconds());
            }
        });
        answersRead += n;
        return n;
    }

    @Override
    public void close() {
        running = false;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
        if (capture != null) {
            capture.close();
        }
        if (reverse != null) {
            reverse.close();
        }
    }
}
