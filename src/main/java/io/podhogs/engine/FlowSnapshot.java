package io.podhogs.engine;

import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.FlowKey;
import io.podhogs.attribution.Owner;
import io.podhogs.identity.RemotePeer;

/**
 * One connection as the engine tracks it, for the API's connections: its 5-tuple on one interface
 * from its socket's side, its owner, its other end's class, and what was credited so far.
 *
 * @param peer null without a cluster
 */
public record FlowSnapshot(FlowKey key, Owner owner, RemotePeer peer, Traffic credited, boolean inferred) {
}
