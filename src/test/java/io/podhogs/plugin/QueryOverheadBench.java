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
 * merge, table. Beside it, kubectl's own: {@code kubectl version --client} (the issue's yardstick)
 * and {@code kubectl get --raw} of the agents' pod list against the same mock server (a query with
 * its round trip, the first request kubectl podhogs makes too).
 * Prints the median wall time of RUNS runs of each.
 *
 * <p>With {@code --classlist FILE} it writes instead the classes two queries load ({@code -A} and
 * {@code processes -A}), for the class archive the launchers make (launcher/class-archive.sh reads
 * launcher/kubectl-query.classlist): a query cannot be run where the archive is made, there is no
 * cluster there.
 */
public final class QueryOverheadBench {
    private QueryOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF); // the mock server's request log
        boolean classList = args.length == 2 && args[0].equals("--classlist");
        int runs = classList ? 1 : args.length > 0 ? Integer.parseInt(args[0]) : 7;
        try (AgentCluster cluster = new AgentCluster()) {
            cluster.agents(AgentCluster.agentPod(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A, "Running", true),
                    AgentCluster.agentPod(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B, "Running", true));
            cluster.answering(KubectlPodhogsTest.POD_A, AgentCluster.NODE_A);
            cluster.answering(KubectlPodhogsTest.POD_B, AgentCluster.NODE_B);
            String kubeconfig = cluster.kubeconfig("default").toString();
            if (classList) {
                writeClassList(Path.of(args[1]), kubeconfig);
                return;
            }
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

    /** The classes two queries load, in the order first loaded, each once: -XX:DumpLoadedClassList's lines. */
    private static void writeClassList(Path file, String kubeconfig) throws Exception {
        java.util.LinkedHashSet<String> classes = new java.util.LinkedHashSet<>();
        for (String view : List.of("pods", "processes")) {
            Path dump = java.nio.file.Files.createTempFile("podhogs-query", ".classlist");
            try {
                ProcessBuilder b = new ProcessBuilder("./kubectl-podhogs", "--kubeconfig", kubeconfig, view, "-A")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
                b.environment().put("KUBECTL_PODHOGS_JAVA_OPTS", "-XX:DumpLoadedClassList=" + dump);
                Process p = b.start();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("kubectl podhogs " + view + " -A failed");
                }
                for (String line : java.nio.file.Files.readAllLines(dump)) {
                    if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("@")) {
                        String name = line.split(" ")[0];
                        if (!name.contains("/0x")) { // hidden classes (lambda forms): not loadable by name
                            classes.add(name);
                        }
                    }
                }
            } finally {
                java.nio.file.Files.deleteIfExists(dump);
            }
        }
        List<String> lines = new ArrayList<>(List.of(
                "# The classes a kubectl podhogs query loads (-A, and processes -A), for the class archive the",
                "# launchers make (launcher/class-archive.sh): no query can run where the archive is made. Made",
                "# with: bash bench/plugin-query.sh --classlist launcher/kubectl-query.classlist"));
        lines.addAll(classes);
        java.nio.file.Files.write(file, lines);
        System.out.println(file + ": " + classes.size() + " classes");
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
