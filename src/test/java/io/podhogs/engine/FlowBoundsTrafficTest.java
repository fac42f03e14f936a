package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountKind;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The flow table's bound on a real veth: a burst of more distinct flows than the bound never makes
 * the engine track more than it, and every byte beyond it is still counted, as untracked on its
 * side of the interface (the host's, and the namespace's behind the veth), so each side's accounts
 * still add up to the kernel's counters.
 */
class FlowBoundsTrafficTest extends EngineTrafficFixture {
    private static final int BOUND = 512;
    private static final int TUPLES = 3000;

    @Test
    void flowsBeyondTheBoundAreUntrackedOnTheirOwnSideToTheByte() throws Exception {
        Host h = net.createHost();
        harness = new EngineHarness(EngineConfig.of(CaptureConfig.defaults(List.of(h.hostIf()))).withMaxFlows(BOUND));
        net.bringUp(h);
        long netns = TestNet.netnsInode(h.ns());
        int ifindex = EngineHarness.ifindex(h.hostIf());

        // 3,000 datagrams from as many source ports: 6,000 flows (the host end's and the namespace's).
        Endpoint spray = net.start(h.ns(), "udp-spray", h.hostV4(), "9", "--count", "" + TUPLES, "--size", "100");
        AtomicInteger mostTracked = new AtomicInteger();
        harness.await(s -> {
            assertTrue(s.flows() <= BOUND, () -> s.flows() + " flows tracked, over the bound of " + BOUND);
            mostTracked.accumulateAndGet(s.flows(), Math::max);
            return !spray.process().isAlive();
        }, "the spray to end");

        EngineSnapshot host = harness.settle(h.hostIf());
        EngineSnapshot s = harness.await(x -> EngineHarness.onInterface(x, ifindex, a -> a.key().netns() == netns)
                .equals(Counters.farSide(h.hostIf())), "the namespace's side to match its counters");
        assertEquals(BOUND, s.maxFlows());
        assertTrue(mostTracked.get() <= BOUND);

        // The rest, on each side: the host's untracked bucket and the namespace's.
        Traffic hostUntracked = untracked(host, ifindex, 0);
        Traffic nsUntracked = untracked(s, ifindex, netns);
        assertTrue(hostUntracked.receivedPackets() > 0, "the host end received datagrams of untracked flows");
        assertTrue(nsUntracked.sentPackets() > 0, "the namespace sent datagrams of untracked flows");
        assertEquals(s.overflowPackets(), packets(untracked(s, ifindex, 0)) + packets(nsUntracked),
                "every packet that found the table full is in an untracked bucket, and nothing else is");
        // Each side still adds up to the kernel's counters: untracked bytes are counted, not dropped.
        assertEquals(Counters.of(h.hostIf()), EngineHarness.onInterface(host, ifindex, EngineHarness::hostSide));
        assertEquals(Counters.farSide(h.hostIf()), EngineHarness.onInterface(s, ifindex, a -> a.key().netns() == netns));
    }

    private static Traffic untracked(EngineSnapshot s, int ifindex, long netns) {
        return s.accounts().stream()
                .filter(a -> a.key().kind() == AccountKind.UNTRACKED && a.key().netns() == netns)
                .map(a -> a.on(ifindex)).reduce(Traffic.NONE, Traffic::plus);
    }

    private static long packets(Traffic t) {
        return t.sentPackets() + t.receivedPackets();
    }
}
