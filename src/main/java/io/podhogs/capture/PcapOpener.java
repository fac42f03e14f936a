package io.podhogs.capture;

import java.util.Locale;
import java.util.Optional;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Opens pcap handles and turns libpcap's failures into one-line messages that say how to fix them.
 */
final class PcapOpener {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PcapOpener.class);
    static final DataLinkType LINUX_SLL2 = new DataLinkType(276, "LINUX_SLL2");

    private PcapOpener() {
    }

    static PcapHandle open(String device, CaptureConfig config, int bufferBytes) throws CaptureException {
        try {
            PcapHandle.Builder builder = new PcapHandle.Builder(device)
                    .snaplen(config.snapLength())
                    .bufferSize(bufferBytes)
                    .timeoutMillis(config.bufferTimeoutMillis())
                    .promiscuousMode(config.promiscuous()
                            ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS);
            return builder.build();
        } catch (PcapNativeException e) {
            throw explain(device, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw noLibpcap(e);
        }
    }

    /** A handle that delivers each frame as it comes, for the few frames whose timing matters. */
    static PcapHandle openImmediate(String device, int snapLength, int bufferBytes) throws CaptureException {
        try {
            return new PcapHandle.Builder(device)
                    .snaplen(snapLength)
                    .bufferSize(bufferBytes)
                    .immediateMode(true)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .build();
        } catch (PcapNativeException e) {
            throw explain(device, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw noLibpcap(e);
        }
    }

    /** Switches {@code any} to cooked v2 headers, which carry the interface index; false if unsupported. */
    static boolean useSll2(PcapHandle handle) {
        try {
            handle.setDlt(LINUX_SLL2);
            return handle.getDlt().value() == 276;
        } catch (PcapNativeException | NotOpenException e) {
            return false;
        }
    }

    /**
     * Sets podhogs's device selection and the user's filter, and-ed, on {@code handle}. When the
     * selection makes the program too long for the kernel, the user's filter alone is set and the
     * engine leaves out the other devices' frames itself (it counts devices by name anyway).
     */
    static void setFilter(PcapHandle handle, String deviceFilter, Optional<String> userFilter)
            throws CaptureException {
        String user = userFilter.map(String::trim).orElse("");
        String filter = combine(deviceFilter, userFilter);
        if (filter.isEmpty()) {
            return;
        }
        int dlt;
        int snapLength;
        try {
            dlt = handle.getDlt().value();
            snapLength = handle.getSnapshot();
        } catch (NotOpenException e) {
            throw new CaptureException("capture closed while setting the filter", e);
        }
        BpfProgram program;
        try {
            program = FilterCompiler.compile(filter, dlt, snapLength);
        } catch (FilterCompiler.TooLong e) {
            if (deviceFilter.isEmpty() || user.isEmpty()) {
                throw badFilter(user.isEmpty() ? filter : user, e);
            }
            // The user's filter alone first: when it is too long too, its error is the one line to say.
            program = compileUser(user, dlt, snapLength);
            LOG.warnf("the device selection and the filter together are too long for the kernel (%s): filtering"
                    + " only by '%s' in the kernel, the devices in podhogs", e.getMessage(), shortened(user));
        } catch (CaptureException e) {
            throw badFilter(user.isEmpty() ? filter : user, e);
        }
        set(handle, program);
    }

    private static BpfProgram compileUser(String user, int dlt, int snapLength) throws CaptureException {
        try {
            return FilterCompiler.compile(user, dlt, snapLength);
        } catch (CaptureException e) {
            throw badFilter(user, e);
        }
    }

    private static String shortened(String filter) {
        return filter.length() > 80 ? filter.substring(0, 77) + "..." : filter;
    }

    private static CaptureException badFilter(String filter, CaptureException reason) {
        String shown = shortened(filter);
        String hint = reason instanceof FilterCompiler.TooLong || reason instanceof FilterCompiler.TooSlow
                ? " (shorten it: a net or portrange covers many hosts or ports in one test)"
                : " (the syntax is tcpdump's, see man pcap-filter)";
        return new CaptureException("bad filter '" + shown + "': " + reason.getMessage() + hint, reason);
    }

    private static void set(PcapHandle handle, BpfProgram program) throws CaptureException {
        try {
            handle.setFilter(program);
        } catch (PcapNativeException e) {
            throw new CaptureException("cannot set the filter: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " ")
                    .trim(), e);
        } catch (NotOpenException e) {
            throw new CaptureException("capture closed while setting the filter", e);
        } finally {
            program.free();
        }
    }

    static String combine(String deviceFilter, Optional<String> userFilter) {
        String user = userFilter.map(String::trim).orElse("");
        if (deviceFilter.isEmpty()) {
            return user;
        }
        return user.isEmpty() ? deviceFilter : "(" + deviceFilter + ") and (" + user + ")";
    }

    static CaptureException explain(String device, Exception e) {
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("permission") || lower.contains("not permitted")) {
            return new CaptureException("no permission to capture on " + device
                    + ": run podhogs as root, or grant the JVM CAP_NET_RAW and CAP_NET_ADMIN"
                    + " (setcap cap_net_raw,cap_net_admin+ep \"$(readlink -f \"$(command -v java)\")\")", e);
        }
        if (lower.contains("no such device")) {
            return new CaptureException("no such device: " + device + " (ip -br link lists the devices of this host)", e);
        }
        return new CaptureException("cannot capture on " + device + ": " + message.replaceAll("\\s+", " ").trim(), e);
    }

    static CaptureException noLibpcap(Throwable e) {
        return new CaptureException("libpcap is not installed: apt-get install -y libpcap0.8"
                + " (Debian, Ubuntu), dnf install libpcap (Fedora, RHEL) or apk add libpcap (Alpine)", e);
    }
}
