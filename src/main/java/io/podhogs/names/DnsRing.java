package io.podhogs.names;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * DNS answers on their way from the capture thread that saw them to the thread that reads them: a
 * ring of preallocated slots, one writer and one reader, so the capture thread only copies bytes
 * (never parses, never allocates) and a burst of answers costs the ring's memory and no more. A
 * full ring drops the answer, counted ({@link #dropped}): a name not learned, no byte lost.
 */
public final class DnsRing {
    /** Bytes kept of an answer: an Ethernet frame's worth; a longer answer is read as far as it goes. */
    public static final int SLOT_BYTES = 1_500;

    private final byte[][] slots;
    private final int[] lengths;
    private final int[] ifindexes;
    private final boolean[] tcp;
    /** Written by the capture thread only, read by the reader. */
    private final AtomicLong head = new AtomicLong();
    /** Written by the reader only. */
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** The reader's thread while it waits for an answer ({@link #awaitAnswer}), else null: an offer wakes it. */
    private volatile Thread waiting;

    public DnsRing(int slotCount) {
        slots = new byte[slotCount][SLOT_BYTES];
        lengths = new int[slotCount];
        ifindexes = new int[slotCount];
        tcp = new boolean[slotCount];
    }

    /** What a reader does with one answer: its bytes are the ring's, valid for the call only. */
    @FunctionalInterface
    public interface Reader {
        void answer(byte[] message, int length, int ifindex, boolean overTcp);
    }

    /** Copies one answer's payload in (the capture thread): false, counted, when the ring is full. */
    public boolean offer(byte[] frame, int offset, int length, int ifindex, boolean overTcp) {
        long h = head.get();
        if (h - tail.get() >= slots.length) {
            dropped.incrementAndGet();
            return false;
        }
        int slot = (int) (h % slots.length);
        int n = Math.max(0, Math.min(length, SLOT_BYTES));
        System.arraycopy(frame, offset, slots[slot], 0, n);
        lengths[slot] = n;
        ifindexes[slot] = ifindex;
        tcp[slot] = overTcp;
        // Published after the copy; a full store, not lazySet, so that the reader's check in
        // awaitAnswer and this read of waiting cannot both miss each other.
        head.set(h + 1);
        Thread reader = waiting;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
        return true;
    }

    /**
     * Waits, on the reader's thread, until an answer is in the ring or {@code nanos} have passed (or
     * a stray wake): an idle host's reader sleeps until an answer comes, not polling a few times a
     * second.
     */
    public void awaitAnswer(long nanos) {
        waiting = Thread.currentThread();
        if (head.get() == tail.get()) { // read after waiting is set: an offer from here on unparks
            LockSupport.parkNanos(this, nanos);
        }
        waiting = null;
    }

    /** Hands every answer in the ring to {@code reader} (the reader's thread); how many. */
    public int drain(Reader reader) {
        long t = tail.get();
        long h = head.get();
        for (long i = t; i < h; i++) {
            int slot = (int) (i % slots.length);
            reader.answer(slots[slot], lengths[slot], ifindexes[slot], tcp[slot]);
            tail.lazySet(i + 1); // the slot is the writer's again
        }
        return (int) (h - t);
    }

    /** Answers dropped because the ring was full. */
    public long dropped() {
        return dropped.get();
    }
}
