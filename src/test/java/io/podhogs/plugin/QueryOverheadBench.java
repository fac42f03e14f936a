package io.podhogs.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * bench/plugin-query.sh: what a {@code kubectl podhogs} query costs beyond the cluster's answers
 * (issue 20, part 4). Against {@link AgentCluster} (fabric8's mock API server on this machine, two
 * agents answering through port-forwards with a real agent's recorded rows: each answer comes in
 * well under a millisecond), so a run's wall time is the plugin's own: JVM, client, port-forwards,
 * merge, table. Beside it, kubectl's own: {@code kubectl version --client} (the yardstick)
 * and {@code kubectl get --raw} of the agents' pod list against the same mock server (a query with
 * its round trip, the first request kubectl podhogs makes too).
 * Prints the median wall time of RUNS runs of each.
 */
public final class QueryOverheadBench {
    private QueryOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF); // the mock server's request log
        try (AgentCluster cluster = new AgentCluster()) {
            cluster.agents(AgentCluster.agentPod(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A, "Running", true),
                    AgentCluster.agentPod(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B, "Running", true));
            cluster.answering(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A);
            cluster.answering(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B);
            String kubeconfig = cluster.kubeconfig("default").toString();
            run("kubectl version --client", runs, "kubectl", "version", "--client");
            run("kubectl get --raw (the agents' pods)", runs, "kubectl", "--kubeconfig", kubeconfig, "get", "--raw",
                    AgentCluster.AGENTS);
            run("kubectl podhogs --help", runs, "./kubectl-podhogs", "--help");
            run("kubectl podhogs -A (two agents)", runs, "./kubectl-podhogs", "--kubeconfig", kubeconfig, "-A");
            run("kubectl podhogs processes -A (two agents)", runs, "./kubectl-podhogs", "--kubeconfig", kubeconfig,
                    "processes", "-A");
            if (System.getenv("PODHOGS_BENCH_HOLD") != null) { // to look at one run by hand: the kubeconfig, then wait
                System.out.println("kubeconfig: " + kubeconfig);
                Thread.sleep(Long.parseLong(System.getenv("PODHOGS_BENCH_HOLD")) * 1000);
            }
        }
    }

    private static void run(String name, int runs, String... command) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).directory(Path.of(".").toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + ": did not end in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(name + ": exit " + p.exitValue());
            }
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        Collections.sort(seconds);
        System.out.printf("%-45s median %.3f s (min %.3f, max %.3f, %d runs)%n", name, seconds.get(runs / 2),
                seconds.get(0), seconds.get(runs - 1), runs);
    }
}
