package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.Traffic;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet.Host;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A veth that goes keeps its own entry in the accounts for the retention, then its traffic joins
 * "interfaces gone": the name and entry of every veth a node ever had would otherwise stay for the
 * agent's life. Nothing is lost in the move: the entry holds what the kernel counted on the veth.
 */
class GoneInterfaceTrafficTest extends EngineTrafficFixture {

    @Test
    void aDeletedVethsTrafficJoinsInterfacesGoneAfterTheRetentionWithEveryByteKept() throws Exception {
        Host h = net.createHost();
        harness = new EngineHarness(EngineConfig.of(CaptureConfig.defaults(List.of(h.hostIf())))
                .withExitedRetention(Duration.ofSeconds(2)));
        net.bringUp(h);
        net.sendToPeer(h, "5721", 200_000);
        int ifindex = EngineHarness.ifindex(h.hostIf());
        EngineSnapshot before = harness.settle(h.hostIf());
        Traffic onVeth = EngineHarness.onInterface(before, ifindex, EngineHarness::hostSide);
        Traffic hostTotal = hostSideTotal(before);

        Shell.run("ip", "link", "del", h.hostIf());
        EngineSnapshot after = harness.await(s -> !s.interfaceNames().containsKey(ifindex),
                () -> "the deleted veth's name forgotten after the retention", Duration.ofSeconds(15));
        assertEquals(InterfaceNames.GONE_NAME, after.interfaceName(InterfaceNames.GONE));
        assertEquals(onVeth, EngineHarness.onInterface(after, InterfaceNames.GONE, EngineHarness::hostSide),
                "the veth's bytes, all of them, under interfaces gone");
        assertEquals(Traffic.NONE, EngineHarness.onInterface(after, ifindex, a -> true), "no entry left for the veth");
        // The client has exited meanwhile and joined the host's exited processes (same retention).
        assertEquals(hostTotal, hostSideTotal(after), "the host side's totals unchanged");
        for (AccountSnapshot a : after.accounts()) {
            assertEquals(List.of(InterfaceNames.GONE), a.interfaces(), a::toString);
        }
    }

    private static Traffic hostSideTotal(EngineSnapshot s) {
        return s.accounts().stream().filter(EngineHarness::hostSide).map(AccountSnapshot::total)
                .reduce(Traffic.NONE, Traffic::plus);
    }
}
