package io.podhogs.capture;

/**
 * What a capture thread does with each frame: parse it into a reused holder, count it, hand it on.
 * A frame that throws (a bug in podhogs, never expected) is counted as failed instead of ending the
 * thread, and the last such error is kept. Allocates nothing on the way.
 *
 * <p>A batch's frames go to the sink as one {@link PacketSource}, parsed as the sink asks for them.
 */
final class FramePath implements PacketSource {
    private final FrameParser parser;
    private final PacketSink sink;
    private final CaptureCounters counters;
    private final ParsedPacket packet = new ParsedPacket();
    private RuntimeException lastFailure;
    /** The batch {@link #next()} reads from, while {@link #acceptBatch} runs. */
    private FrameBatch batch;
    /** Frames {@link #next()} has stepped to: whether a sink that threw had taken any. */
    private long taken;

    FramePath(FrameParser parser, PacketSink sink, CaptureCounters counters) {
        this.parser = parser;
        this.sink = sink;
        this.counters = counters;
    }

    /**
     * Parses, counts and hands on one frame; false when it failed ({@link #lastFailure()} says why).
     *
     * @param captured bytes captured of it (at most {@code frame.length})
     * @param original its length before the snap length cut it
     */
    boolean accept(byte[] frame, int captured, int original) {
        try {
            parser.parse(frame, captured, original, packet);
            counters.count(packet);
            sink.accept(packet);
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    /**
     * Parses, counts and hands on every frame of the batch {@code frames} has just read. A frame
     * that throws in the sink is counted as failed and the sink is handed the rest.
     */
    void acceptBatch(FrameBatch frames) {
        batch = frames;
        try {
            while (true) {
                long takenBefore = taken;
                try {
                    sink.acceptAll(this);
                    return;
                } catch (RuntimeException e) {
                    lastFailure = e;
                    if (taken == takenBefore) {
                        // It threw before taking a frame, and would again: the rest fail, unread.
                        while (batch.next()) {
                            counters.failed();
                        }
                        return;
                    }
                    counters.failed(); // the frame it threw on was taken: the rest go on
                }
            }
        } finally {
            batch = null;
        }
    }

    /** The batch's next frame, parsed and counted; one that fails to parse is counted as failed and skipped. */
    @Override
    public ParsedPacket next() {
        while (batch.next()) {
            taken++;
            try {
                parser.parse(batch.records(), batch.start(), batch.captured(), batch.original(), packet);
                counters.count(packet);
                return packet;
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        return null;
    }

    private void failed(RuntimeException e) {
        counters.failed();
        lastFailure = e;
    }

    /** Why the last frame that failed did, or null while none has. */
    RuntimeException lastFailure() {
        return lastFailure;
    }

    CaptureCounters counters() {
        return counters;
    }
}
