package io.podhogs.attribution;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * docs/accounting.md's rule for a connection whose socket was gone before it was looked up: inbound,
 * the owner of the listening socket on its local port; outbound, the process last seen talking to
 * the same remote end, which this keeps for the flows whose owner was found. When the flow's socket
 * was found, its holder could not be read rather than being gone (another user's /proc/PID/fd
 * without DAC_READ_SEARCH): then only a socket of the same uid (as the socket table gives it: the
 * listener's, or the one the last process talked through) may name the owner. Engine thread only.
 */
final class OwnerInference {
    private static final int RECENT_REMOTE_ENDS = 8192;
    /** -1, (uid_t) -1, is no uid (the kernel never gives it); uids past 2^31 are negative ints here. */
    private static final int NO_UID = -1;

    /** The process last seen talking to a remote end, and the uid its socket there had. */
    private record Talker(ProcessOwner owner, int socketUid) {
    }

    /** A remote end as seen from one side (the host's, or a namespace's). */
    private record RemoteEnd(long side, int protocol, long hi, long lo, int port) {
        static RemoteEnd of(FlowKey key, long side) {
            return new RemoteEnd(side, key.protocol(), key.remoteHi(), key.remoteLo(), key.remotePort());
        }
    }

    /** The last process seen talking to each remote end, the least recently seen dropped first. */
    private final Map<RemoteEnd, Talker> recentRemoteEnds = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RemoteEnd, Talker> eldest) {
            return size() > RECENT_REMOTE_ENDS;
        }
    };

    /** The flow, on {@code side}, was found to be {@code owner}'s, through its socket. */
    void owned(TrackedFlow flow, long side, ProcessOwner owner) {
        recentRemoteEnds.put(RemoteEnd.of(flow.key(), side), new Talker(owner, flow.socketUid()));
    }

    /**
     * The owner the rule gives a flow on {@code side} whose local end is the side's own address, or
     * null.
     *
     * @param listener the socket listening on the flow's local end, or null
     * @param holder the process holding a socket of the given inode, or null when none is known
     */
    ProcessOwner infer(TrackedFlow flow, long side, SocketEntry listener, LongFunction<ProcessInfo> holder) {
        int uid = flow.inode() != 0 ? flow.socketUid() : NO_UID;
        if (listener != null && (uid == NO_UID || listener.uid() == uid)) {
            ProcessInfo process = holder.apply(listener.inode());
            if (process != null) {
                return new ProcessOwner(process, side);
            }
        }
        Talker talker = recentRemoteEnds.get(RemoteEnd.of(flow.key(), side));
        if (talker == null || (uid != NO_UID && talker.socketUid() != NO_UID && talker.socketUid() != uid)) {
            return null;
        }
        return talker.owner();
    }
}
