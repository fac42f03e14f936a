package io.podhogs.capture;

/**
 * Tells a capture loop that runs but no longer takes frames from one that is idle, from numbers
 * read about once a second on the engine thread. Since the loop last took a frame (its progress):
 *
 * <ol>
 *   <li><b>Blocked</b>: the kernel queued frames for the handle (pcap_stats' ps_recv went up:
 *       frames that passed its filter, those dropped for want of room included) and the loop took
 *       none of them for {@value #WINDOW_SECONDS} s. A loop that runs takes a queued frame within
 *       the handle's buffer timeout (2 ms; 7 ms on a busy link, {@link ReadPacing}), so only a
 *       thread stuck outside libpcap's wait (in
 *       podhogs's own code, in the JVM, in libpcap) looks like this.</li>
 *   <li><b>Deaf</b>: the devices the handle covers carried at least {@value #MIN_UNSEEN_FRAMES}
 *       frames by their own counters (/proc/net/dev, received and sent) and the kernel queued none
 *       for the handle for {@value #WINDOW_SECONDS} s. Only for handles whose filter selects
 *       devices and nothing else: a user's filter (-f) or the connection-start handle's may well
 *       keep every frame out.</li>
 * </ol>
 *
 * The window starts at the first look that finds such frames, so a loop had at least
 * {@value #WINDOW_SECONDS} s to take (or the kernel to queue) frames that already existed.
 *
 * <p>Limits: a device whose counters count frames no packet socket sees (frames an XDP program
 * drops or redirects in the driver, frames a switch ASIC forwards, AF_XDP zero-copy) can make an
 * idle handle look deaf if that is all its devices carry; a blocked loop with nothing arriving is
 * not seen until something arrives (it has nothing to miss until then), and frames queued between
 * the loop's last taken frame and the next look count as taken (ps_recv cannot be set against the
 * loop's count: it includes frames libpcap discards itself, such as loopback's outgoing copies), so
 * a loop that blocks right after a burst is seen once frames come after that look; a loop that takes frames
 * only now and then (one in several seconds, far below the arrival rate) is slow, not stalled, and
 * shows as kernel drops instead.
 */
final class StallWatch {
    static final long WINDOW_SECONDS = 5;
    static final long MIN_UNSEEN_FRAMES = 100;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;

    private boolean started;
    private long delivered;
    private long received;
    private long devicePackets = -1;
    /** When a look first found frames the loop has not taken (or the kernel not queued); -1: none. */
    private long evidenceSince = -1;
    private String verdict = "";

    /**
     * One look, with the devices' packets read before the handle's numbers (so that a frame the
     * devices counted had its chance to reach the handle): the verdict, empty while not stalled.
     *
     * @param devicePackets the covered devices' frames (received and sent) by their counters, or
     *     -1 where the deaf rule does not apply
     */
    String look(long nowNanos, long delivered, long received, long devicePackets) {
        if (!started || delivered != this.delivered || devicePackets < 0 != this.devicePackets < 0) {
            started = true;
            this.delivered = delivered;
            this.received = received;
            this.devicePackets = devicePackets;
            evidenceSince = -1;
            verdict = "";
            return verdict;
        }
        boolean queuedNotTaken = received != this.received;
        long unseen = devicePackets < 0 ? 0 : devicePackets - this.devicePackets;
        boolean carriedNotQueued = !queuedNotTaken && unseen >= MIN_UNSEEN_FRAMES;
        if (!queuedNotTaken && !carriedNotQueued) {
            return verdict;
        }
        if (evidenceSince < 0) {
            evidenceSince = nowNanos;
        }
        if (nowNanos - evidenceSince < WINDOW_NANOS) {
            return verdict;
        }
        long seconds = (nowNanos - evidenceSince) / 1_000_000_000L;
        verdict = queuedNotTaken
                ? "stalled: took none of the " + (received - this.received) + " frames the kernel queued for it in "
                        + seconds + " s (its thread is blocked)"
                : "stalled: the kernel queued no frame for it in " + seconds + " s while its devices carried " + unseen;
        return verdict;
    }

    /** The last verdict: empty while not stalled. */
    String verdict() {
        return verdict;
    }

    /** Whether the verdict is "deaf": the thread waits in libpcap, so the handle can be reopened. */
    boolean deaf() {
        return verdict.startsWith("stalled: the kernel queued no frame");
    }

    /** Starts over (a new handle: its numbers start at zero). */
    void reset() {
        started = false;
        verdict = "";
        evidenceSince = -1;
    }
}
