package io.podhogs.deploy;

import java.util.stream.Collectors;

/** k8s/podhogs.yaml: the chart rendered with its default values, with the normalization stated in its header. */
final class K8sManifest {
    static final String HEADER = """
            # generated from helm/podhogs with default values by HelmChartTest; do not edit.
            # Normalization: `helm template podhogs helm/podhogs --namespace podhogs` with the comment
            # lines helm adds to name each template ("Source: ...") removed; nothing else changed.
            # Regenerate it after a change to the chart with:
            #   %s
            # The namespace and its Pod Security label are in namespace.yaml: kubectl apply -f k8s/
            """.formatted(HelmChartTest.REGENERATE);

    private K8sManifest() {
    }

    static String generate(String rendered) {
        String body = rendered.lines().filter(l -> !l.startsWith("# Source: ")).collect(Collectors.joining("\n"));
        return HEADER + body + (body.endsWith("\n") ? "" : "\n");
    }
}
