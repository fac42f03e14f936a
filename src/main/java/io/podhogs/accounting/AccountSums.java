package io.podhogs.accounting;

import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import java.util.EnumMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Sums of accounts into the levels above them (containers, pods, namespaces, workloads). */
final class AccountSums {
    private AccountSums() {
    }

    /**
     * Groups the accounts {@code group} names a group for (by that name) into one account each, whose
     * key {@code key} makes from the group's first member; the others are passed through.
     */
    static List<AccountSnapshot> regroup(List<AccountSnapshot> accounts, Function<AccountSnapshot, String> group,
                                         Function<AccountSnapshot, AccountKey> key) {
        Map<String, List<AccountSnapshot>> groups = new LinkedHashMap<>();
        List<AccountSnapshot> result = new ArrayList<>();
        for (AccountSnapshot a : accounts) {
            String k = group.apply(a);
            if (k == null) {
                result.add(a);
            } else {
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(a);
            }
        }
        groups.values().forEach(members -> result.add(sum(key.apply(members.get(0)), members)));
        return result;
    }

    /** One account that is the sum of {@code parts}: counters, rates, per interface and per peer. */
    static AccountSnapshot sum(AccountKey key, List<AccountSnapshot> parts) {
        Map<Integer, Traffic> byInterface = new LinkedHashMap<>();
        Map<RemotePeer, Traffic> byRemote = new LinkedHashMap<>();
        Map<RemoteClass, RemoteClassTraffic> byClass = new EnumMap<>(RemoteClass.class);
        Traffic total = Traffic.NONE;
        double sentRate = 0;
        double receivedRate = 0;
        long inferredSent = 0;
        long inferredReceived = 0;
        boolean allExited = true;
        boolean hasProcess = false;
        for (AccountSnapshot a : parts) {
            a.byInterface().forEach((ifindex, t) -> byInterface.merge(ifindex, t, Traffic::plus));
            a.byRemote().forEach((peer, t) -> byRemote.merge(peer, t, Traffic::plus));
            a.byRemoteClass().forEach((c, t) -> byClass.merge(c, t, RemoteClassTraffic::plus));
            total = total.plus(a.total());
            sentRate += a.sentRate();
            receivedRate += a.receivedRate();
            inferredSent += a.inferredSentBytes();
            inferredReceived += a.inferredReceivedBytes();
            // A level is exited when every process under it is (containers and pods made of them).
            boolean retired = a.key() instanceof ExitedProcessesKey;
            boolean processes = a.isProcess() || a.hasProcesses() || retired;
            hasProcess |= processes;
            allExited &= !processes || retired || a.exited();
        }
        return new AccountSnapshot(key, byInterface, total, sentRate, receivedRate, hasProcess && allExited,
                inferredSent, inferredReceived, byRemote, byClass);
    }
}
