package io.podhogs.capture;

import org.pcap4j.core.PcapHandle;

/**
 * A small handle of its own on {@code any} that sees DNS answers (from port 53, UDP and TCP) whole,
 * for the names of remote ends: the main capture keeps 256 bytes of a frame, which cuts answers,
 * and its {@code -f} filter may leave port 53 out. Its capture thread only hands each answer's
 * payload to a {@link PayloadSink} (a bounded ring, copied, parsed elsewhere); it counts nothing, so
 * it can neither add to nor take from any total. Every device, loopback included: a host's stub
 * resolver answers on it.
 */
public final class DnsAnswerCapture implements AutoCloseable {
    public static final String NAME = "any (dns answers)";
    private static final int SNAP_LENGTH = 1_600;
    private static final int BUFFER_BYTES = 2 << 20;
    static final String FILTER = "udp src port 53 or tcp src port 53";

    /** Where an answer's payload goes, on the capture thread: copied at once, never kept. */
    @FunctionalInterface
    public interface PayloadSink {
        void payload(byte[] frame, int offset, int length, int ifindex, boolean overTcp);
    }

    private final CaptureLoop loop;

    private DnsAnswerCapture(CaptureLoop loop) {
        this.loop = loop;
    }

    /** Opens the handle and starts its thread; a CaptureException (one line) where it cannot. */
    public static DnsAnswerCapture start(PayloadSink sink) throws CaptureException {
        PcapHandle handle = PcapOpener.openImmediate("any", SNAP_LENGTH, BUFFER_BYTES);
        try {
            if (!PcapOpener.useSll2(handle)) {
                throw new CaptureException("this libpcap has no LINUX_SLL2 (libpcap 1.10 or later)");
            }
            PcapOpener.setFilter(handle, "", java.util.Optional.of(FILTER));
            CaptureLoop loop = new CaptureLoop(NAME, handle, FrameParser.cooked(LinkType.LINUX_SLL2), p -> {
                if (p.hasPorts() && p.srcPort == 53 && p.payloadEnd > p.payloadOffset) {
                    sink.payload(p.frame, p.payloadOffset, p.payloadEnd - p.payloadOffset, p.ifindex,
                            p.protocol == ParsedPacket.TCP);
                }
            });
            loop.start();
            return new DnsAnswerCapture(loop);
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** Its handle's health: running, its frames, the kernel's drops (an answer dropped is a name not learned). */
    public CaptureStatus status() {
        return loop.status();
    }

    @Override
    public void close() {
        loop.stop();
    }
}
