package io.podhogs.capture;

/**
 * What a capture thread does with each frame: parse it into a reused holder, count it, hand it on.
 * A frame that throws (a bug in podhogs, never expected) is counted as failed instead of ending the
 * thread, and the first such error is kept. Allocates nothing on the way.
 */
final class FramePath {
    private final FrameParser parser;
    private final PacketSink sink;
    private final CaptureCounters counters;
    private final ParsedPacket packet = new ParsedPacket();
    private RuntimeException lastFailure;

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
            counters.failed();
            lastFailure = e;
            return false;
        }
    }

    RuntimeException lastFailure() {
        return lastFailure;
    }

    CaptureCounters counters() {
        return counters;
    }
}
