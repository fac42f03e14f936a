package io.podhogs.identity;


/**
 * What a cluster tells the engine and the exports, as immutable snapshots they read when they
 * want (never per packet): this node's pods and how to classify remote addresses. {@link #NONE}
 * on a host without Kubernetes.
 */
public interface ClusterView {
    ClusterView NONE = new ClusterView() {
        @Override
        public PodDirectory pods() {
            return PodDirectory.EMPTY;
        }

        @Override
        public RemoteClassifier classifier() {
            return RemoteClassifier.NONE;
        }
    };

    PodDirectory pods();

    RemoteClassifier classifier();
}
