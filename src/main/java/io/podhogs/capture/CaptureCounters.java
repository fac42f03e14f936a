package io.podhogs.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one capture thread saw. Written by that thread alone for every frame, read by others for
 * display: opaque writes make them visible without a memory fence on the packet path.
 */
final class CaptureCounters {
    private static final VarHandle FRAMES;
    private static final VarHandle BYTES;
    private static final VarHandle TRUNCATED;
    private static final VarHandle MALFORMED;
    private static final VarHandle FAILED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FRAMES = lookup.findVarHandle(CaptureCounters.class, "frames", long.class);
            BYTES = lookup.findVarHandle(CaptureCounters.class, "bytes", long.class);
            TRUNCATED = lookup.findVarHandle(CaptureCounters.class, "truncated", long.class);
            MALFORMED = lookup.findVarHandle(CaptureCounters.class, "malformed", long.class);
            FAILED = lookup.findVarHandle(CaptureCounters.class, "failed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long frames;
    private long bytes;
    private long truncated;
    private long malformed;
    private long failed;

    void count(ParsedPacket p) {
        FRAMES.setOpaque(this, frames + 1);
        BYTES.setOpaque(this, bytes + p.wireLength);
        if (p.truncated) {
            TRUNCATED.setOpaque(this, truncated + 1);
        }
        if (p.malformed) {
            MALFORMED.setOpaque(this, malformed + 1);
        }
    }

    /** A frame that could not be counted (a bug, never expected): counted so it is not silent. */
    void failed() {
        FAILED.setOpaque(this, failed + 1);
    }

    long failedFrames() {
        return (long) FAILED.getOpaque(this);
    }

    long frames() {
        return (long) FRAMES.getOpaque(this);
    }

    long bytes() {
        return (long) BYTES.getOpaque(this);
    }

    long truncated() {
        return (long) TRUNCATED.getOpaque(this);
    }

    long malformed() {
        return (long) MALFORMED.getOpaque(this);
    }
}
