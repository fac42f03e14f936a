package io.podhogs.engine;

import io.podhogs.capture.Capture;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.capture.FrameParser;
import io.podhogs.capture.LinkType;
import io.podhogs.capture.NetInterface;
import io.podhogs.capture.PacketSink;
import io.podhogs.capture.ParsedPacket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A capture whose frames the test hands over: parsed as the {@code any} device's are, into the
 * engine's sink, on the test's thread. Stands in for libpcap through {@link #factory}.
 */
final class FedCapture implements Capture {
    private final FrameParser parser = FrameParser.cooked(LinkType.LINUX_SLL2);
    private final ParsedPacket packet = new ParsedPacket();
    private final List<List<String>> interfaceChanges = new ArrayList<>();
    private PacketSink sink;
    private long frames;
    private long bytes;
    private boolean closed;

    /** Opens this capture, once: the engine's sink is where {@link #frame} delivers. */
    CaptureFactory factory() {
        return (config, interfaces, counted, connectionStarts) -> {
            if (sink != null) {
                throw new IllegalStateException("opened twice");
            }
            sink = counted;
            return this;
        };
    }

    /** Delivers frames as a capture thread would. */
    void frame(byte[]... frames) {
        for (byte[] frame : frames) {
            parser.parse(frame, frame.length, frame.length, packet);
            sink.accept(packet);
            this.frames++;
            this.bytes += packet.wireLength;
        }
    }

    /** The interface names the engine told this capture of, one list per time it did. */
    List<List<String>> interfaceChanges() {
        return interfaceChanges;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public List<CaptureStatus> status() {
        return List.of(new CaptureStatus("any", frames, bytes, 0, 0, 0, 0, 0, !closed, null));
    }

    @Override
    public String description() {
        return "fed by the test";
    }

    @Override
    public void interfacesChanged(Collection<NetInterface> current) {
        interfaceChanges.add(current.stream().map(NetInterface::name).sorted().toList());
    }

    @Override
    public void close() {
        closed = true;
    }
}
