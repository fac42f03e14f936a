package io.podhogs.capture;

/**
 * How long a capture thread waits before its next read, from what its last read brought: the
 * kernel's equivalent is interrupt coalescing (NAPI), here for the wake-ups of a busy ring.
 *
 * <p>Why: the main handle's buffer timeout is 2 ms, so that a quiet host's frames reach the engine
 * at once. On a busy link that timeout hands over a part-filled block every 2 ms, and the thread
 * wakes 500 times a second for a couple of hundred frames each time; those wake-ups were a sixth
 * of the capture thread's CPU under steady.sh's flood (BENCHMARKS.md). A read that brought many
 * frames but did not fill its batch (the ring is drained, and busy) is followed by a pause, during
 * which the kernel fills blocks the next reads take in one go. A full batch is read on at once
 * (more are waiting); a quiet ring is not paused (a frame waits at most the handle's timeout).
 *
 * <p>What it costs: while a link carries more than {@link #BUSY_FRAMES} frames a wake-up (about
 * 32,000 a second), a frame may wait {@link #PAUSE_NANOS} longer before it is counted. Nothing is
 * lost: only a ring of at least {@link #SMALLEST_PACED_RING} is paced ({@link #forRing}), and 8 MiB
 * holds about an eighth of a second of the fastest flood measured here (390,000 64-byte frames a
 * second), twenty pauses; a smaller ring (per-device capture shares the buffer out, down to 1 MiB,
 * four of libpcap's 256 KiB blocks) is read as fast as it fills. Connection starts do not wait:
 * their own immediate-mode handle is never paced ({@link ConnectionStartCapture}).
 *
 * @param busyFrames the fewest frames a read brings for the ring to count as busy
 * @param pauseNanos the pause after such a read
 */
record ReadPacing(int busyFrames, long pauseNanos) {
    static final int BUSY_FRAMES = 64;
    static final long PAUSE_NANOS = 5_000_000L;
    /** The smallest kernel ring whose reads are paced. */
    static final int SMALLEST_PACED_RING = 8 << 20;
    /** The main handles' pacing. */
    static final ReadPacing BUSY_LINKS = new ReadPacing(BUSY_FRAMES, PAUSE_NANOS);
    /** Never pauses: handles whose frames must arrive at once, and small rings. */
    static final ReadPacing NONE = new ReadPacing(Integer.MAX_VALUE, 0);

    /** A main handle's pacing for a kernel ring of {@code bufferBytes}: none for a small ring. */
    static ReadPacing forRing(int bufferBytes) {
        return bufferBytes >= SMALLEST_PACED_RING ? BUSY_LINKS : NONE;
    }

    /**
     * The pause before the next read, in nanoseconds (0: read on at once).
     *
     * @param read frames the last read brought
     * @param batchFrames the most a read takes
     */
    long pauseAfter(int read, int batchFrames) {
        return read >= busyFrames && read < batchFrames ? pauseNanos : 0;
    }
}
