package io.podhogs.engine;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.identity.CgroupIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the engine knows at one moment, immutable, for the exports.
 *
 * @param interfaceNames ifindex to name, including interfaces gone since their traffic was counted
 * @param flows flows being tracked now
 * @param overflowPackets packets that found the flow table full (counted as unknown, not lost)
 * @param containersByNetns the container each network namespace belongs to, by the cgroup of its
 *     processes: a container's traffic that no process took is still the container's
 * @param liveInterfaces the interfaces that exist now (interfaceNames also names those gone)
 * @param helperCaptures handles that count nothing but must run (see {@code Capture.helperStatus})
 * @param maxFlows the most flows tracked at once (packets of flows beyond: {@code overflowPackets})
 * @param connections the engine's last copy of its connections, made in this snapshot's cycle or an
 *     earlier one (never a later): {@link Connections#NONE} while nobody asks for them
 *     ({@link Engine#wantConnections})
 */
public record EngineSnapshot(Instant time, List<AccountSnapshot> accounts, List<CaptureStatus> captures,
                             Map<Integer, String> interfaceNames, int flows, long overflowPackets,
                             ResolverStats resolver, String captureDescription,
                             Map<Long, CgroupIdentity> containersByNetns, Set<Integer> liveInterfaces,
                             List<CaptureStatus> helperCaptures, int maxFlows, Connections connections) {

    /** A snapshot in which every named interface still exists. */
    public EngineSnapshot(Instant time, List<AccountSnapshot> accounts, List<CaptureStatus> captures,
                          Map<Integer, String> interfaceNames, int flows, long overflowPackets, ResolverStats resolver,
                          String captureDescription, Map<Long, CgroupIdentity> containersByNetns) {
        this(time, accounts, captures, interfaceNames, flows, overflowPackets, resolver, captureDescription,
                containersByNetns, Set.copyOf(interfaceNames.keySet()), List.of(), 0, Connections.NONE);
    }

    /** The same counts as of {@code later}: a quiet engine's, which nothing changed since (see Engine). */
    public EngineSnapshot at(Instant later) {
        return new EngineSnapshot(later, accounts, captures, interfaceNames, flows, overflowPackets, resolver,
                captureDescription, containersByNetns, liveInterfaces, helperCaptures, maxFlows, connections);
    }

    /** The same moment with {@code copied} as its connections (for tests of what shows them). */
    public EngineSnapshot withConnections(Connections copied) {
        return new EngineSnapshot(time, accounts, captures, interfaceNames, flows, overflowPackets, resolver,
                captureDescription, containersByNetns, liveInterfaces, helperCaptures, maxFlows, copied);
    }

    /** Every handle, helpers included, has a running thread. */
    public boolean capturesRunning() {
        return captures.stream().allMatch(CaptureStatus::running)
                && helperCaptures.stream().allMatch(CaptureStatus::running);
    }

    public long kernelDrops() {
        return captures.stream().mapToLong(CaptureStatus::kernelDrops).sum();
    }

    /**
     * The kernel's drops on the handle of device {@code name}: there only where the capture has a
     * handle per device ({@code --capture per-device}); the any device's drops are of no one device.
     */
    public java.util.OptionalLong deviceKernelDrops(String name) {
        for (CaptureStatus c : captures) {
            if (c.name().equals(name) && !c.name().equals("any")) {
                return java.util.OptionalLong.of(c.kernelDrops());
            }
        }
        return java.util.OptionalLong.empty();
    }

    public String interfaceName(int ifindex) {
        return interfaceNames.getOrDefault(ifindex, "if" + ifindex);
    }
}
