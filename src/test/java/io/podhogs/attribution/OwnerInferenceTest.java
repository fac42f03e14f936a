package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.identity.CgroupIdentity;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** docs/accounting.md's rule for a connection whose socket was gone before it was looked up. */
class OwnerInferenceTest {
    private static final long POD = 4026532300L;
    private static final long LISTENER_INODE = 900;
    private static final ProcessInfo WEB = process(70, 1000);
    private static final ProcessInfo CURL = process(80, 1000);
    private static final LongFunction<ProcessInfo> NOBODY_ASKED = inode -> {
        throw new AssertionError("the listener's holder was asked for: " + inode);
    };

    private final OwnerInference inference = new OwnerInference();

    private static ProcessInfo process(int pid, int uid) {
        return new ProcessInfo(pid, 5, uid, "p" + pid, "", "p" + pid, CgroupIdentity.NONE);
    }

    private static TrackedFlow flow(int protocol, int localPort, int remoteLast, int remotePort) {
        return new TrackedFlow(0, new FlowKey(2, protocol, 0, Addresses.v4Lo(0x0a000001), localPort, 0,
                Addresses.v4Lo(0x0a000000 | remoteLast), remotePort, 0), 0);
    }

    /** The flow's socket was found, with {@code uid}, but not who holds it. */
    private static TrackedFlow withSocket(TrackedFlow flow, int uid) {
        FlowKey k = flow.key();
        flow.socket(new SocketEntry(k.protocol(), k.localHi(), k.localLo(), k.localPort(), k.remoteHi(), k.remoteLo(),
                k.remotePort(), 1, uid, 1234), 0);
        return flow;
    }

    private static SocketEntry listener(int port, int uid) {
        return new SocketEntry(ParsedPacket.TCP, 0, Addresses.v4Lo(0x0a000001), port, 0, 0, 0, 0x0A, uid, LISTENER_INODE);
    }

    private static LongFunction<ProcessInfo> holding(ProcessInfo process) {
        return inode -> inode == LISTENER_INODE ? process : null;
    }

    private void talked(ProcessInfo process, long side, TrackedFlow flow) {
        inference.owned(flow, side, new ProcessOwner(process, side));
    }

    @Test
    void inboundGoesToTheListenersHolderOnTheFlowsSide() {
        ProcessOwner owner = inference.infer(flow(ParsedPacket.TCP, 8080, 5, 50123), POD, listener(8080, 1000),
                holding(WEB));
        assertEquals(WEB, owner.process());
        assertEquals(POD, owner.netns());
    }

    @Test
    void outboundGoesToTheLastProcessSeenTalkingToTheSameRemoteEndFromTheSameSide() {
        talked(WEB, 0, flow(ParsedPacket.TCP, 40000, 2, 80));
        talked(CURL, 0, flow(ParsedPacket.TCP, 40001, 2, 80)); // the latest
        assertEquals(CURL, inference.infer(flow(ParsedPacket.TCP, 40002, 2, 80), 0, null, NOBODY_ASKED).process());
        assertNull(inference.infer(flow(ParsedPacket.TCP, 40002, 2, 80), POD, null, NOBODY_ASKED), "another side");
        assertNull(inference.infer(flow(ParsedPacket.TCP, 40002, 2, 443), 0, null, NOBODY_ASKED), "another port");
        assertNull(inference.infer(flow(ParsedPacket.TCP, 40002, 3, 80), 0, null, NOBODY_ASKED), "another address");
        assertNull(inference.infer(flow(ParsedPacket.UDP, 40002, 2, 80), 0, null, NOBODY_ASKED), "another protocol");
    }

    @Test
    void aListenerWhoseHolderIsNotFoundLeavesItToTheLastTalker() {
        talked(CURL, 0, flow(ParsedPacket.TCP, 40000, 5, 50123));
        assertEquals(CURL, inference.infer(flow(ParsedPacket.TCP, 8080, 5, 50123), 0, listener(8080, 1000),
                inode -> null).process());
        assertNull(inference.infer(flow(ParsedPacket.TCP, 8080, 6, 50123), 0, listener(8080, 1000), inode -> null));
    }

    /** A socket found whose holder could not be read: only a socket of its uid may name the owner. */
    @Test
    void aFoundSocketTakesOnlyAListenerOrTalkerOfItsUid() {
        assertNull(inference.infer(withSocket(flow(ParsedPacket.TCP, 8080, 5, 50123), 1001), 0, listener(8080, 1000),
                NOBODY_ASKED), "the listener is another user's");
        assertEquals(WEB, inference.infer(withSocket(flow(ParsedPacket.TCP, 8080, 5, 50123), 1000), 0,
                listener(8080, 1000), holding(WEB)).process());

        talked(CURL, 0, withSocket(flow(ParsedPacket.TCP, 40000, 2, 80), 1000));
        assertNull(inference.infer(withSocket(flow(ParsedPacket.TCP, 40001, 2, 80), 1001), 0, null, NOBODY_ASKED));
        assertEquals(CURL, inference.infer(withSocket(flow(ParsedPacket.TCP, 40001, 2, 80), 1000), 0, null,
                NOBODY_ASKED).process());
        assertEquals(CURL, inference.infer(flow(ParsedPacket.TCP, 40001, 2, 80), 0, null, NOBODY_ASKED).process(),
                "no socket found: any uid");
    }

    @Test
    void aTalkerWhoseSocketsUidIsUnknownNamesTheOwnerOfAnyUid() {
        talked(CURL, 0, flow(ParsedPacket.TCP, 40000, 2, 80)); // owned without a socket uid
        assertEquals(CURL, inference.infer(withSocket(flow(ParsedPacket.TCP, 40001, 2, 80), 1001), 0, null,
                NOBODY_ASKED).process());
    }
}
