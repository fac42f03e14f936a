package io.podhogs.capture;

/**
 * The state of one capture handle.
 *
 * @param name the device ("any" or an interface name)
 * @param frames frames that reached podhogs
 * @param bytes their bytes as interface counters count them
 * @param truncated frames whose headers the snap length cut short (counted, with less detail)
 * @param malformed frames whose headers contradict themselves or the frame's length (counted, with
 *     nothing after the fault trusted)
 * @param failed frames that could not be counted because of an error in podhogs (never expected;
 *     the first error's message is in {@code error})
 * @param kernelDrops frames the kernel dropped because podhogs did not read them fast enough
 *     (pcap_stats ps_drop); they are lost to every account, so they are shown, never hidden
 * @param interfaceDrops frames the interface dropped (ps_ifdrop), when the driver reports them
 * @param running false once the capture thread ended, with {@code error} saying why
 * @param restarts how often the capture was reopened after its thread ended by itself
 */
public record CaptureStatus(String name, long frames, long bytes, long truncated, long malformed, long failed,
                            long kernelDrops, long interfaceDrops, boolean running, String error, int restarts) {

    public CaptureStatus(String name, long frames, long bytes, long truncated, long malformed, long failed,
                         long kernelDrops, long interfaceDrops, boolean running, String error) {
        this(name, frames, bytes, truncated, malformed, failed, kernelDrops, interfaceDrops, running, error, 0);
    }

    /** Frames counted without all their detail (truncated, malformed) or not counted at all (failed). */
    public long rejected() {
        return truncated + malformed + failed;
    }
}
