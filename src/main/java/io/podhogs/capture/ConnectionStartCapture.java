package io.podhogs.capture;

import java.util.List;
import java.util.Optional;
import java.util.Collection;
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
    static final String NAME = "any (connection starts)";
    private static final int SNAP_LENGTH = 128;
    private static final int BUFFER_BYTES = 2 << 20;
    /** SYN set, ACK clear; for IPv6 only when TCP follows the fixed header (no extension headers). */
    static final String FILTER = "(tcp[tcpflags] & (tcp-syn|tcp-ack)) == tcp-syn"
            + " or (ip6 and ip6[6] == 6 and (ip6[53] & 0x12) == 0x02)";

    private final Capture main;
    private final ReopeningLoop starts;
    private final CaptureConfig config;
    private final DeviceFilter devices;
    private int filterVersion;

    private ConnectionStartCapture(Capture main, ReopeningLoop starts, CaptureConfig config, DeviceFilter devices) {
        this.main = main;
        this.starts = starts;
        this.config = config;
        this.devices = devices;
        this.filterVersion = devices.version();
    }

    /**
     * Adds the connection-start handle to {@code main}; without one (no LINUX_SLL2 in this libpcap,
     * or the handle cannot be opened) {@code main} alone, with one line in the log.
     */
    static Capture attach(Capture main, CaptureConfig config, DeviceFilter devices, PacketSink announcements) {
        PcapHandle handle;
        try {
            handle = open(config, devices);
        } catch (CaptureException | RuntimeException e) {
            LOG.warnf("no early look at new connections (%s): short connections are looked up at the capture's pace",
                    e.getMessage());
            return main;
        }
        CaptureLoop loop = new CaptureLoop(NAME, handle, FrameParser.cooked(LinkType.LINUX_SLL2), announcements);
        try {
            loop.start();
        } catch (CaptureException e) {
            handle.close();
            LOG.warnf("no early look at new connections (%s): short connections are looked up at the capture's pace",
                    e.getMessage());
            return main;
        }
        return new ConnectionStartCapture(main, new ReopeningLoop(loop, () -> open(config, devices)), config, devices);
    }

    private static PcapHandle open(CaptureConfig config, DeviceFilter devices) throws CaptureException {
        PcapHandle handle = PcapOpener.openImmediate("any", SNAP_LENGTH, BUFFER_BYTES);
        try {
            if (!PcapOpener.useSll2(handle)) {
                throw new CaptureException("this libpcap has no LINUX_SLL2 (libpcap 1.10 or later)");
            }
            setFilter(handle, config, devices.text());
            return handle;
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** The main capture's handles: this one counts no bytes, and its drops lose none. */
    @Override
    public List<CaptureStatus> status() {
        return main.status();
    }

    /** The device selection and the user's filter, then the connection-start test. */
    private static void setFilter(PcapHandle handle, CaptureConfig config, String devices) throws CaptureException {
        PcapOpener.setFilter(handle, PcapOpener.combine(devices, config.filter()), Optional.of(FILTER));
    }

    @Override
    public void interfacesChanged(Collection<NetInterface> current) {
        main.interfacesChanged(current);
        devices.update(current); // the main capture may not follow the device filter (per device): this one does
        if (devices.version() != filterVersion) {
            filterVersion = devices.version();
            String text = devices.text();
            starts.changeFilter(h -> setFilter(h, config, text));
        }
    }

    /** This handle: whether it runs and how often it was reopened matter, its frames add to nothing. */
    @Override
    public List<CaptureStatus> helperStatus() {
        return List.of(starts.status());
    }

    @Override
    public void restartStopped(long nowNanos) {
        main.restartStopped(nowNanos);
        starts.reopenIfStopped(nowNanos);
    }

    @Override
    public String description() {
        return main.description();
    }

    @Override
    public void close() {
        // Both asked at once, so that their waits overlap.
        long deadline = System.nanoTime() + CaptureLoop.STOP_WAIT_NANOS;
        starts.requestStop();
        main.close();
        starts.awaitStop(deadline);
    }
}
