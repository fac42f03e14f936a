package io.podhogs.export;

import io.podhogs.capture.CaptureStatus;
import java.util.List;

/**
 * Frames counted without all their detail, by why, summed over captures: cut by the snap length
 * ({@code --snaplen}), malformed (headers that contradict themselves or the frame's length), or
 * failed (an error in podhogs; their bytes are missing from the accounts).
 */
public record RejectedFrames(long truncated, long malformed, long failed) {
    public static RejectedFrames of(List<CaptureStatus> captures) {
        long truncated = 0;
        long malformed = 0;
        long failed = 0;
        for (CaptureStatus c : captures) {
            truncated += c.truncated();
            malformed += c.malformed();
            failed += c.failed();
        }
        return new RejectedFrames(truncated, malformed, failed);
    }
}
