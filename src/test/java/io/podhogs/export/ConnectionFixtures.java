package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.FlowKey;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.attribution.Owner;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.engine.Connections;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.FlowSnapshot;
import io.podhogs.identity.CgroupIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Processes, their connections and snapshots that hold both, as the engine would publish them. */
final class ConnectionFixtures {
    static final int VETH = 3;
    static final String SERVER = "10.0.0.1";

    private ConnectionFixtures() {
    }

    static ProcessOwner process(int pid, String program, CgroupIdentity cgroup) {
        return new ProcessOwner(new ProcessInfo(pid, pid, 0, program, program, "p", cgroup), 0);
    }

    static AccountSnapshot account(Owner owner, Traffic t) {
        return new AccountSnapshot(new OwnerKey(owner), Map.of(VETH, t), t, 0, 0, false, 0, 0);
    }

    /** A TCP connection of {@code owner} from {@code localPort} to {@link #SERVER}:{@code remotePort}. */
    static FlowSnapshot flow(Owner owner, int localPort, int remotePort, Traffic credited) {
        long[] local = Addresses.parse("10.0.0.2");
        long[] remote = Addresses.parse(SERVER);
        return new FlowSnapshot(new FlowKey(VETH, ParsedPacket.TCP, local[0], local[1], localPort, remote[0], remote[1],
                remotePort, 0), owner, null, credited, false);
    }

    static EngineSnapshot snapshot(Instant time, List<AccountSnapshot> accounts, List<FlowSnapshot> flows, long copiedNanos,
                                   long omitted) {
        return new EngineSnapshot(time, accounts, List.of(), Map.of(VETH, "veth1"), flows.size(), 0,
                new ResolverStats(0, 0, 0, 0, 0, 0, 0, flows.size()), "any", Map.of())
                .withConnections(new Connections(flows, omitted, copiedNanos));
    }
}
