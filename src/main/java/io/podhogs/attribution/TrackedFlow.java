package io.podhogs.attribution;

/**
 * A flow while the resolver works on it: its key, what the lookups found so far, and its owner once
 * found. The engine keeps what it credits elsewhere, per slot (engine.FlowStates): this object
 * exists only while the flow is pending or its socket is looked for again (see {@link #resolving}),
 * so that a settled flow costs no object of its own. Engine thread only.
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
    /** In the resolver's list of flows whose socket is looked for again. */
    private boolean retrying;
    /** The pass of {@link ExactConnections} that last asked for its socket by four-tuple. */
    private long askedInPass = -1;

    public TrackedFlow(int slot, FlowKey key, long firstSeenNanos) {
        this.slot = slot;
        this.key = key;
        this.firstSeenNanos = firstSeenNanos;
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
        retrying = true;
    }

    /** The resolver looks no more for its socket (found, or retries given up or dropped). */
    void stopRetrying() {
        retrying = false;
    }

    /** Done with: owned, or nobody's. */
    public boolean settled() {
        return owner != null || uncounted;
    }

    /**
     * The resolver still works on it: pending, or settled to an unknown owner whose socket is looked
     * for again. Once false, its owner is final.
     */
    public boolean resolving() {
        return !settled() || retrying;
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

    long askedInPass() {
        return askedInPass;
    }

    void askedInPass(long pass) {
        askedInPass = pass;
    }
}
