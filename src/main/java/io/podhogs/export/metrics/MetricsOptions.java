package io.podhogs.export.metrics;

import java.util.List;

/**
 * @param node this node's name, a label of every series
 * @param podLabels pod labels turned into metric labels ({@code label_app} ...) on the pod series
 * @param processes whether per-process series are made at all
 * @param maxProcessSeries at most this many process series; the processes left out are counted
 */
public record MetricsOptions(String node, List<String> podLabels, boolean processes, int maxProcessSeries,
                             int maxAppSeries) {
    public MetricsOptions {
        podLabels = List.copyOf(podLabels);
    }
}
