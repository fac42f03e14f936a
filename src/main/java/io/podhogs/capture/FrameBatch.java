package io.podhogs.capture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;

/**
 * Reads a pcap handle's frames a batch at a time, with no call from native code back into Java per
 * frame: that upcall (JNA builds a structure, a timestamp and a byte array for each) was most of
 * podhogs's cost per frame (BENCHMARKS.md, "Frames in batches and a quiet engine").
 *
 * <p>How: libpcap's own {@code pcap_dump} is the per-frame callback of {@code pcap_dispatch}, and it
 * writes each frame (a 16-byte record header, then the bytes captured) to a C stream that
 * {@code fmemopen} opened over this reader's native buffer. One downcall reads up to
 * {@link #batchFrames()} frames; one bulk copy then brings the records written onto the heap, and
 * {@link #next()} steps through them: each frame is parsed where it lies in that copy
 * ({@link #records()} from {@link #start()}). (A copy out of the native buffer per frame went
 * through the ByteBuffer's checks and a JNI copy each time: a tenth of the capture thread under C1;
 * a copy of each frame into an array of its own, another 4%.) Per batch: four downcalls and one
 * copy; per frame: nothing allocated, nothing copied. The batch is bounded by the buffer
 * ({@code count * (16 + snapshot)} bytes at most), so
 * the stream can never run out of room mid-batch.
 *
 * <p>Used by one thread, the handle's capture thread; {@link #close()} after that thread ended.
 */
final class FrameBatch implements AutoCloseable {
    /** pcap_dispatch's result when pcap_breakloop ended it. */
    static final int BREAK = -2;
    /** A savefile's end (pcap_dispatch returns 0 there, as a live handle does on a timeout). */
    static final int END = -3;
    private static final int RECORD_HEADER = 16;
    private static final int MOST_FRAMES = 256;
    private static final int MOST_BYTES = 1 << 20;
    private static final int SEEK_SET = 0;
    private static final int FSETLOCKING_BYCALLER = 2;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int SMALLEST_COPY = 4096;

    private final long pcap;
    private final boolean offline;
    private final Memory buffer;
    private final ByteBuffer records;
    private final long file;
    private final long dumper;
    private final int batchFrames;
    /** The most bytes of a frame a record holds: the handle's snap length. */
    private final int snapshot;
    /**
     * The records of the last batch, copied from the native buffer: grown to the largest batch
     * seen (at most the buffer's size), so a quiet handle keeps a small one.
     */
    private byte[] copied = new byte[0];
    private int end;
    private int at;
    private int start;
    private int captured;
    private int original;
    private boolean closed;

    private FrameBatch(long pcap, boolean offline, Memory buffer, long file, long dumper, int batchFrames, int snapshot) {
        this.pcap = pcap;
        this.offline = offline;
        this.buffer = buffer;
        this.records = buffer.getByteBuffer(0, buffer.size()).order(ByteOrder.nativeOrder());
        this.file = file;
        this.dumper = dumper;
        this.batchFrames = batchFrames;
        this.snapshot = snapshot;
    }

    /** A reader over an open handle (live or a savefile); one line (a CaptureException) where it cannot be made. */
    static FrameBatch open(PcapHandle handle) throws CaptureException {
        int snapshot;
        try {
            snapshot = Math.max(1, handle.getSnapshot());
        } catch (NotOpenException e) {
            throw new CaptureException("capture closed before it started", e);
        }
        int recordBytes = RECORD_HEADER + snapshot;
        int batchFrames = Math.max(1, Math.min(MOST_FRAMES, MOST_BYTES / recordBytes));
        long size = (long) batchFrames * recordBytes;
        long pcap = pointerOf(handle);
        Memory buffer = new Memory(size);
        long file = 0;
        try {
            file = BatchCalls.Libc.fmemopen(Pointer.nativeValue(buffer), size, "w");
            if (file == 0) {
                throw new CaptureException("cannot open a frame buffer of " + size + " bytes (fmemopen failed)");
            }
            // One thread writes the stream: stdio's lock on each of pcap_dump's two writes a frame is waste.
            BatchCalls.Libc.__fsetlocking(file, FSETLOCKING_BYCALLER);
            long dumper = BatchCalls.Pcap.pcap_dump_fopen(pcap, file);
            if (dumper == 0) {
                throw new CaptureException("cannot write frames to the frame buffer: " + BatchCalls.Pcap.pcap_geterr(pcap));
            }
            boolean offline = BatchCalls.Pcap.pcap_file(pcap) != 0;
            return new FrameBatch(pcap, offline, buffer, file, dumper, batchFrames, snapshot);
        } catch (CaptureException | RuntimeException | LinkageError e) {
            if (file != 0) {
                BatchCalls.Libc.fclose(file); // the dumper was not made: it would have closed the stream
            }
            buffer.close();
            if (e instanceof LinkageError) {
                throw PcapOpener.noLibpcap(e);
            }
            throw e;
        }
    }

    /**
     * Reads one batch: waits as libpcap waits (the handle's timeout, or until a frame comes), then
     * makes its frames ready for {@link #next()}.
     *
     * @return the frames read (0 on a live handle's timeout), {@link #BREAK} when pcap_breakloop
     *     ended the wait, {@link #END} at a savefile's end
     * @throws CaptureException libpcap's error, in its words
     */
    int read() throws CaptureException {
        end = 0;
        at = 0;
        BatchCalls.Libc.fseek(file, 0, SEEK_SET);
        int read = BatchCalls.Pcap.pcap_dispatch(pcap, batchFrames, BatchCalls.Pcap.PCAP_DUMP, dumper);
        if (read == BREAK) {
            return BREAK;
        }
        if (read < 0) {
            throw new CaptureException(String.valueOf(BatchCalls.Pcap.pcap_geterr(pcap)));
        }
        if (read == 0) {
            return offline ? END : 0;
        }
        BatchCalls.Pcap.pcap_dump_flush(dumper);
        int written = (int) Math.max(0, Math.min(records.capacity(), BatchCalls.Pcap.pcap_dump_ftell(dumper)));
        if (written > copied.length) {
            // Grown in powers of two up to the buffer's size: a few times in a handle's life.
            copied = new byte[Math.min(records.capacity(), Math.max(SMALLEST_COPY, Integer.highestOneBit(written - 1) << 1))];
        }
        records.get(0, copied, 0, written);
        end = written;
        return read;
    }

    /**
     * Steps to the batch's next frame, whose bytes {@link #records()} then holds from
     * {@link #start()}; false when the batch has no more.
     */
    boolean next() {
        if (at + RECORD_HEADER > end) {
            return false;
        }
        // struct pcap_sf_pkthdr: 32-bit seconds and microseconds, captured length, wire length.
        int length = intAt(at + 8);
        if (length < 0) {
            end = at; // no such record is written (caplen is at most the snapshot): never loop on one
            return false;
        }
        start = at + RECORD_HEADER;
        captured = Math.min(Math.min(length, snapshot), end - start);
        original = intAt(at + 12);
        at = start + length;
        return true;
    }

    /**
     * The batch's records, the frame {@link #next()} stepped to among them: valid until the next
     * {@link #read()}, which writes over them.
     */
    byte[] records() {
        return copied;
    }

    /** Where the frame {@link #next()} stepped to starts in {@link #records()}. */
    int start() {
        return start;
    }

    /** How many bytes of the frame {@link #next()} stepped to were captured (from {@link #start()}). */
    int captured() {
        return captured;
    }

    /** The frame's length on the wire, before the snap length cut it. */
    int original() {
        return original;
    }

    /** pcap_dump writes the record header's fields in the host's byte order. */
    private int intAt(int i) {
        int b0 = copied[i] & 0xff;
        int b1 = copied[i + 1] & 0xff;
        int b2 = copied[i + 2] & 0xff;
        int b3 = copied[i + 3] & 0xff;
        return LITTLE_ENDIAN ? b3 << 24 | b2 << 16 | b1 << 8 | b0 : b0 << 24 | b1 << 16 | b2 << 8 | b3;
    }

    /** Frames one read takes at most. */
    int batchFrames() {
        return batchFrames;
    }

    /** Closes the stream and frees the buffer; the pcap handle stays open (its owner closes it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        BatchCalls.Pcap.pcap_dump_close(dumper);
        buffer.close();
    }

    /**
     * The handle's pcap_t: pcap4j keeps it private and gives no batch read of its own. Only a
     * pcap4j other than the 1.8.2 podhogs is built with could fail here: a packaging error.
     */
    static long pointerOf(PcapHandle handle) {
        try {
            Field field = PcapHandle.class.getDeclaredField("handle");
            field.setAccessible(true);
            return Pointer.nativeValue((Pointer) field.get(handle));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this pcap4j keeps its handle elsewhere (podhogs needs pcap4j 1.8.2): " + e, e);
        }
    }
}
