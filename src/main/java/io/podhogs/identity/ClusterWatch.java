package io.podhogs.identity;

/**
 * A cluster view kept current by watches on the cluster's API, which hold connections and threads
 * until closed. The identity package knows it by this shape only: which API it watches (Kubernetes
 * today) is wired in by the node monitor's setup, so that nothing here depends on that API's client.
 */
public interface ClusterWatch extends ClusterView, AutoCloseable {
    /** Stops the watches; does not throw, so that a stop goes on to close what comes after. */
    @Override
    void close();
}
