package io.podhogs.attribution;

import io.podhogs.identity.RemoteClassifier;
import io.podhogs.identity.RemotePeer;

/**
 * The engine's record of one flow: its key, its owner once found, and how much of its counters has
 * been credited to that owner. Bytes counted before the owner is known stay uncredited here until
 * it is. Engine thread only.
 */
public final class TrackedFlow {
    private final int slot;
    private final FlowKey key;
    private final long firstSeenNanos;
    private Owner owner;
    private boolean uncounted;
    private boolean inferred;
    private boolean accepted;
    private long linkSource = -1;
    private int retries;
    private long retryAtNanos;
    private long inode;
    private long inodeFoundNanos;
    /** The uid the socket table gives the flow's socket, once found; -1 before. */
    private int socketUid = -1;
    private long creditedSentBytes;
    private long creditedSentPackets;
    private long creditedReceivedBytes;
    private long creditedReceivedPackets;
    private long seenPackets;
    private long lastChangeNanos;
    private RemotePeer peer;
    private long peerVersion = -1;

    public TrackedFlow(int slot, FlowKey key, long firstSeenNanos) {
        this.slot = slot;
        this.key = key;
        this.firstSeenNanos = firstSeenNanos;
        this.lastChangeNanos = firstSeenNanos;
    }

    public int slot() {
        return slot;
    }

    public FlowKey key() {
        return key;
    }

    public long firstSeenNanos() {
        return firstSeenNanos;
    }

    /**
     * A connection accepted from a listener: a forking server hands its socket to a child after a
     * moment in which only the parent holds it, so a look right away would name the parent.
     */
    boolean accepted() {
        return accepted;
    }

    void markAccepted() {
        accepted = true;
    }

    /**
     * The link-layer address its host-side frames were sent from, -1 if unknown: another than the
     * device's own means the device relayed them (a macvlan upper's frames on its lower device).
     */
    public long linkSource() {
        return linkSource;
    }

    public void linkSource(long address) {
        linkSource = address;
    }

    /**
     * The other end as {@code classifier} sees it: looked up once per classifier, not per packet or
     * per tick, so a pod that appears later gets its name at the next classifier. Null without a
     * cluster, and for frames that are not IP.
     */
    public RemotePeer peer(RemoteClassifier classifier) {
        if (key.protocol() == FlowKey.NON_IP) {
            return null; // ARP and the like: no remote address to classify
        }
        if (classifier.version() != peerVersion || !classifier.active()) {
            peerVersion = classifier.version();
            peer = classifier.classify(key.localHi(), key.localLo(), key.remoteHi(), key.remoteLo());
        }
        return peer;
    }

    /** Null while the flow is still being looked up. */
    public Owner owner() {
        return owner;
    }

    void owner(Owner owner) {
        this.owner = owner;
    }

    /**
     * True for a flow credited to nobody: the far side of an interface that turned out to have none
     * (a physical device, a bridge), whose bytes are the host side's and counted there, or a flow of
     * an interface left out by the user's patterns.
     */
    public boolean uncounted() {
        return uncounted;
    }

    void markUncounted() {
        this.uncounted = true;
    }

    /**
     * The owner was inferred, not found: the socket was gone before it could be looked up, and the
     * owner is the listener on the local port or the last process seen talking to the remote end.
     */
    public boolean inferred() {
        return inferred;
    }

    void inferredOwner(Owner owner) {
        this.owner = owner;
        this.inferred = true;
    }

    int retries() {
        return retries;
    }

    long retryAtNanos() {
        return retryAtNanos;
    }

    void scheduleRetry(long atNanos) {
        retries++;
        retryAtNanos = atNanos;
    }

    /** Done with: owned, or nobody's. */
    public boolean settled() {
        return owner != null || uncounted;
    }

    long inode() {
        return inode;
    }

    long inodeFoundNanos() {
        return inodeFoundNanos;
    }

    void inode(long inode, long nowNanos) {
        this.inode = inode;
        this.inodeFoundNanos = nowNanos;
    }

    void socket(SocketEntry socket, long nowNanos) {
        inode(socket.inode(), nowNanos);
        this.socketUid = socket.uid();
    }

    int socketUid() {
        return socketUid;
    }

    /** Bytes credited to the owner so far, sent. */
    public long creditedSentBytes() {
        return creditedSentBytes;
    }

    public long creditedSentPackets() {
        return creditedSentPackets;
    }

    public long creditedReceivedBytes() {
        return creditedReceivedBytes;
    }

    public long creditedReceivedPackets() {
        return creditedReceivedPackets;
    }

    /** The peer the last classifier named (null without a cluster, or before the first credit). */
    public RemotePeer lastPeer() {
        return peer;
    }

    public long lastChangeNanos() {
        return lastChangeNanos;
    }

    /** Packets of the flow at the engine's last look, credited or not. */
    public long seenPackets() {
        return seenPackets;
    }

    /**
     * Takes the flow's counters from {@code view}. Once the owner is known, what came since the last
     * call (everything, on the first call after the owner was found) is left in {@code delta} as
     * sent bytes, sent packets, received bytes, received packets, and true is returned if any.
     * While the owner is unknown nothing is taken: the bytes wait in the table's counters.
     */
    public boolean takeDelta(FlowTableView view, long nowNanos, long[] delta) {
        long sb = view.sentBytes(slot);
        long sp = view.sentPackets(slot);
        long rb = view.receivedBytes(slot);
        long rp = view.receivedPackets(slot);
        if (sp + rp != seenPackets) {
            seenPackets = sp + rp;
            lastChangeNanos = nowNanos;
        }
        if (owner == null) {
            return false;
        }
        delta[0] = sb - creditedSentBytes;
        delta[1] = sp - creditedSentPackets;
        delta[2] = rb - creditedReceivedBytes;
        delta[3] = rp - creditedReceivedPackets;
        creditedSentBytes = sb;
        creditedSentPackets = sp;
        creditedReceivedBytes = rb;
        creditedReceivedPackets = rp;
        return delta[1] != 0 || delta[3] != 0;
    }
}
