package io.podhogs.engine;

import static io.podhogs.engine.EngineHarness.ifindex;
import static io.podhogs.engine.EngineHarness.onInterface;
import static io.podhogs.engine.EngineHarness.requireProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.InterfacePatterns;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --exclude: an interface left out by name is counted nowhere, also when it appears after the
 * start (no BPF filter can name it then); the others stay exact.
 */
class InterfacePatternsTrafficTest extends EngineTrafficFixture {

    @Test
    void anExcludedInterfaceIsCountedNowhereEvenWhenItAppearsLater() throws Exception {
        Host kept = net.createHost(); // phh<tag>10; the next one is phh<tag>11
        String excluded = kept.hostIf().substring(0, kept.hostIf().length() - 2) + "11";
        CaptureConfig d = CaptureConfig.defaults(List.of());
        harness = new EngineHarness(new CaptureConfig(d.mode(), d.devices(), d.includeLoopback(), d.snapLength(),
                d.bufferBytes(), d.bufferTimeoutMillis(), d.promiscuous(), d.filter(),
                new InterfacePatterns(List.of(), List.of(excluded))));
        net.bringUp(kept);
        Host later = net.createHost();
        assertEquals(excluded, later.hostIf());
        net.bringUp(later);

        Endpoint[] clients = new Endpoint[2];
        int i = 0;
        for (Host h : new Host[] {kept, later}) {
            net.start(h.ns(), "tcp-sink", h.peerV4(), "5201").expect("ready");
            clients[i] = net.start(null, "tcp-send", h.peerV4(), "5201", "--bytes", "2000000", "--hold", "0.5");
            clients[i].expect("ready");
            clients[i].expect("done");
            clients[i++].awaitExit(Duration.ofSeconds(10));
        }

        EngineSnapshot s = harness.settle(kept.hostIf());
        AccountSnapshot sender = requireProcess(s, clients[0].pid());
        Traffic control = onInterface(s, ifindex(kept.hostIf()), a -> a.key().equals(new OwnerKey(UnknownOwner.OTHER)));
        assertEquals(onInterface(s, ifindex(kept.hostIf()), EngineHarness::hostSide).minus(control),
                sender.on(ifindex(kept.hostIf())), "the kept interface, exact");
        assertTrue(sender.sentBytes() > 2_000_000, "payload is in: " + sender);

        EngineHarness.sleep(1000); // anything of the excluded one would be credited by now
        int gone = ifindex(later.hostIf());
        EngineSnapshot after = harness.engine.snapshot();
        assertTrue(after.accounts().stream().allMatch(a -> a.on(gone).equals(Traffic.NONE)),
                "nothing on the excluded interface: " + after.accounts());
        assertTrue(EngineHarness.process(after, clients[1].pid()).isEmpty(),
                "its only sender has no account at all");
    }
}
