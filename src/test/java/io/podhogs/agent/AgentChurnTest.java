package io.podhogs.agent;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ExitedProcessesKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.testing.Await;
import io.podhogs.testing.Counters;
import io.podhogs.testing.TestNet.Endpoint;
import io.podhogs.testing.TestNet.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * 2,000 processes and 10,000 flows that come and go: the process series stay under their cap and
 * say how many were left out, and once the processes have exited their accounts are folded into
 * "exited processes" with every byte kept, so that what the agent holds returns to what exists.
 */
@QuarkusTest
@TestProfile(AgentChurnTest.Churn.class)
class AgentChurnTest extends AgentTrafficFixture {
    private static final int CHILDREN = 2000;
    private static final int FLOWS_EACH = 5;
    private static final int CAP = 100;

    public static final class Churn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("podhogs.metrics.processes", "true", "podhogs.metrics.max-process-series", "" + CAP,
                    "podhogs.exited-retention", "3s", "podhogs.metrics.refresh", "200ms",
                    "podhogs.kubernetes.mode", "off");
        }
    }

    private EngineSnapshot await(String what, Predicate<EngineSnapshot> condition) {
        return Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> agent.snapshot().orElseThrow(),
                condition, (EngineSnapshot s) -> what + ": " + s.accounts().size() + " accounts");
    }

    private static long processes(EngineSnapshot s) {
        return s.accounts().stream().filter(AccountSnapshot::isProcess).count();
    }

    @Test
    void processSeriesStayUnderTheCapAndExitedProcessesAreFoldedWithEveryByte() throws Exception {
        agent.start();
        Host h = net.createHost();
        net.bringUp(h);
        long heapBefore = usedHeapAfterGc();
        net.start(h.ns(), "udp-sink", h.peerV4(), "5601").expect("ready");
        Endpoint churn = net.start(null, "udp-forks", h.peerV4(), "5601", "--count", "" + CHILDREN, "--flows",
                "" + FLOWS_EACH, "--size", "200", "--wave", "250", "--hold", "1.5");
        churn.expect("ready");

        // While the children live: many process accounts, at most CAP series, the rest counted.
        await("hundreds of processes at once", s -> processes(s) > 2 * CAP);
        // Scraped back to back (each scrape takes its time): never over the cap, and at it in the end.
        Await.until(Duration.ofSeconds(20), Duration.ZERO, () -> {
            Scrape scrape = new Scrape(get(Management.url("/metrics")).asString());
            long series = scrape.text().lines().filter(l -> l.startsWith("podhogs_process_network_transmit_bytes_total{"))
                    .count();
            double dropped = scrape.value("podhogs_process_series_dropped", Map.of()).orElse(0.0);
            assertTrue(series <= CAP, () -> series + " process series, over the cap");
            return series == CAP && dropped > 0;
        }, () -> "the cap reached and what it left out counted");
        churn.expect("done");
        int peakAccounts = agent.snapshot().orElseThrow().accounts().size();

        // Once they have exited and the retention has passed: no process accounts but the sink's,
        // and every byte still there, in the host's exited processes, to the veth's counters.
        EngineSnapshot s = await("the exited processes folded", x -> processes(x) <= 2);
        int ifindex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", h.hostIf(), "ifindex")).trim());
        s = await("the veth's bytes all counted", x -> x.accounts().stream().filter(a -> a.key().netns() == 0)
                .map(a -> a.on(ifindex)).reduce(Traffic.NONE, Traffic::plus).equals(Counters.of(h.hostIf())));
        AccountSnapshot exited = s.accounts().stream()
                .filter(a -> a.key() instanceof ExitedProcessesKey e && e.netns() == 0).findFirst().orElseThrow();
        assertTrue(exited.on(ifindex).sentPackets() >= CHILDREN * FLOWS_EACH * 9L / 10,
                () -> "most datagrams are the exited children's own: " + exited.on(ifindex));
        int after = s.accounts().size();
        long heapAfter = usedHeapAfterGc();
        System.out.printf("churn: %d children, %d flows; accounts at the peak %d, after %d; heap after GC %d MiB"
                + " before, %d MiB after%n", CHILDREN, CHILDREN * FLOWS_EACH, peakAccounts, after, heapBefore >> 20,
                heapAfter >> 20);
        assertTrue(after < 50, () -> after + " accounts kept after the churn");
        assertEquals(0.0, new Scrape(get(Management.url("/metrics")).asString()).value("podhogs_process_series_dropped", Map.of())
                .orElseThrow(), "nothing left out once the processes are folded");
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
