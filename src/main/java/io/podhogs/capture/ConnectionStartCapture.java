package io.podhogs.capture;

import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.pcap4j.core.PcapHandle;

/**
 * A second, small handle on {@code any} that sees only the first packet of each TCP connection (a
 * SYN without ACK) and has it at once: immediate mode, where the main handle lets frames gather in
 * the kernel for up to its buffer timeout (2 ms). A connection that opens, sends and closes in half
 * a millisecond is gone before the main handle delivers its SYN; announced by this one, the engine
 * looks it up while its socket still exists. It announces flows and counts nothing: every byte is
 * the main capture's, so this handle can neither add to nor take from any total.
 *
 * <p>Its cost is one small BPF program per packet in the kernel and one wake-up per new outbound
 * connection, the rate of connections, not of packets.
 */
final class ConnectionStartCapture implements Capture {
    private static final Logger LOG = Logger.getLogger(ConnectionStartCapture.class);
    private static final int SNAP_LENGTH = 128;
    private static final int BUFFER_BYTES = 2 << 20;
    /** SYN set, ACK clear; for IPv6 only when TCP follows the fixed header (no extension headers). */
    static final String FILTER = "(tcp[tcpflags] & (tcp-syn|tcp-ack)) == tcp-syn"
            + " or (ip6 and ip6[6] == 6 and (ip6[53] & 0x12) == 0x02)";

    private final Capture main;
    private final CaptureLoop starts;

    private ConnectionStartCapture(Capture main, CaptureLoop starts) {
        this.main = main;
        this.starts = starts;
    }

    /**
     * Adds the connection-start handle to {@code main}; without one (no LINUX_SLL2 in this libpcap,
     * or the handle cannot be opened) {@code main} alone, with one line in the log.
     */
    static Capture attach(Capture main, CaptureConfig config, DeviceSelection selection, PacketSink announcements) {
        PcapHandle handle;
        try {
            handle = PcapOpener.openImmediate("any", SNAP_LENGTH, BUFFER_BYTES);
        } catch (CaptureException e) {
            LOG.warnf("no early look at new connections (%s): short connections are looked up at the capture's pace",
                    e.getMessage());
            return main;
        }
        try {
            if (!PcapOpener.useSll2(handle)) {
                handle.close();
                LOG.warn("no early look at new connections: this libpcap has no LINUX_SLL2 (libpcap 1.10 or later)");
                return main;
            }
            String devices = PcapOpener.combine(selection.anyDeviceFilter(), config.filter());
            PcapOpener.setFilter(handle, devices, Optional.of(FILTER));
            CaptureLoop loop = new CaptureLoop("any (connection starts)", handle,
                    FrameParser.cooked(LinkType.LINUX_SLL2), announcements);
            loop.start();
            return new ConnectionStartCapture(main, loop);
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            LOG.warnf("no early look at new connections: %s", e.getMessage());
            return main;
        }
    }

    /** The main capture's handles: this one counts no bytes, and its drops lose none. */
    @Override
    public List<CaptureStatus> status() {
        return main.status();
    }

    @Override
    public void interfacesChanged(java.util.Collection<NetInterface> current) {
        main.interfacesChanged(current);
    }

    @Override
    public void restartStopped(long nowNanos) {
        main.restartStopped(nowNanos);
    }

    @Override
    public String description() {
        return main.description();
    }

    @Override
    public void close() {
        starts.stop();
        main.close();
    }
}
