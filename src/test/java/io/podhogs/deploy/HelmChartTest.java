package io.podhogs.deploy;

import static io.podhogs.deploy.ChartObjects.CHART;
import static io.podhogs.deploy.ChartObjects.NAMESPACE;
import static io.podhogs.deploy.ChartObjects.ROOT;
import static io.podhogs.deploy.ChartObjects.agentPort;
import static io.podhogs.deploy.ChartObjects.apiPort;
import static io.podhogs.deploy.ChartObjects.all;
import static io.podhogs.deploy.ChartObjects.at;
import static io.podhogs.deploy.ChartObjects.named;
import static io.podhogs.deploy.ChartObjects.one;
import static io.podhogs.deploy.ChartObjects.parse;
import static io.podhogs.deploy.ChartObjects.readYaml;
import static io.podhogs.deploy.ChartObjects.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.podhogs.agent.AgentConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart (helm/podhogs) and the plain manifests rendered from it (k8s/): helm lint
 * --strict, helm template with the default values and with every toggle, each object read into
 * fabric8's typed model with no unknown field, and what matters of each checked.
 *
 * <p>k8s/podhogs.yaml is the chart rendered with the default values; after a change to the chart,
 * regenerate it with {@code ./mvnw -B test -Dtest=HelmChartTest -Dpodhogs.regenerate=true}.
 */
class HelmChartTest {
    private static final String HISTORY_MOUNT = "/var/lib/podhogs";
    private static final String PROC_MOUNT = "/host/proc";
    private static final String PASSWD_MOUNT = "/host/etc/passwd";
    private static final Path K8S_MANIFEST = ROOT.resolve("k8s/podhogs.yaml");
    private static final Path K8S_NAMESPACE = ROOT.resolve("k8s/namespace.yaml");
    static final String REGENERATE = "./mvnw -B test -Dtest=HelmChartTest -Dpodhogs.regenerate=true";

    /** What the agent does with the API (src/main/java/io/podhogs/identity/kubernetes), as group/resource:verb. */
    private static final Set<String> AGENT_RULES = Set.of(
            "/pods:list", "/pods:watch", // KubernetesIdentity: informers on this node's pods, or every pod
            "/nodes:list", "/nodes:watch", // KubernetesIdentity: nodes (pod CIDRs, node addresses)
            "/services:list", "/services:watch", // KubernetesIdentity: Services (remote classes)
            "networking.k8s.io/servicecidrs:list", "networking.k8s.io/servicecidrs:watch", // ServiceCIDRs
            "apps/replicasets:get", // WorkloadResolver: a pod's ReplicaSet, for its Deployment
            "batch/jobs:get"); // WorkloadResolver: a pod's Job, for its CronJob
    /** What the agent asks to check the bearer tokens of /metrics (TokenReviews.java). */
    private static final Set<String> REVIEW_RULES = Set.of(
            "authentication.k8s.io/tokenreviews:create", "authorization.k8s.io/subjectaccessreviews:create");

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("defaults", Map.of()),
                Arguments.of("ServiceMonitor", Map.of("serviceMonitor.enabled", true)),
                Arguments.of("PodMonitor with the chart's scraper token", Map.of("podMonitor.enabled", true,
                        "monitoring.scraperToken.create", true)),
                Arguments.of("PodMonitor with a token Secret", Map.of("podMonitor.enabled", true,
                        "monitoring.authorizationSecret.name", "scraper", "monitoring.authorizationSecret.key", "token")),
                Arguments.of("metrics over TLS", Map.of("agent.metrics.tlsSecret", "podhogs-tls", "serviceMonitor.enabled", true)),
                Arguments.of("metrics open", Map.of("agent.metrics.auth", "none", "podMonitor.enabled", true)),
                Arguments.of("scrapers bound", Map.of("monitoring.scraperServiceAccounts[0].name", "prometheus-k8s",
                        "monitoring.scraperServiceAccounts[0].namespace", "monitoring")),
                Arguments.of("plugin users bound", Map.of("rbac.pluginUsers.subjects[0].kind", "Group",
                        "rbac.pluginUsers.subjects[0].name", "sre-admins",
                        "rbac.pluginUsers.subjects[0].apiGroup", "rbac.authorization.k8s.io")),
                Arguments.of("PrometheusRule", Map.of("prometheusRule.enabled", true)),
                Arguments.of("dashboard", Map.of("dashboard.enabled", true)),
                Arguments.of("docker socket", Map.of("docker.enabled", true)),
                Arguments.of("priority class", Map.of("priorityClassName", "system-node-critical")),
                Arguments.of("JSON logs off", Map.of("agent.jsonLogs", false)),
                Arguments.of("process metrics", Map.of("agent.metrics.processes", true)),
                Arguments.of("agent settings", Map.of("agent.include", List.of("eth*", "cali*"), "agent.filter", "tcp or udp",
                        "agent.kubernetes.podCidrs", List.of("10.244.0.0/16"), "agent.metrics.podLabels", List.of("app"),
                        "extraEnv[0].name", "PODHOGS_SNAPLEN", "extraEnv[0].value", "128")),
                Arguments.of("everything", everything()));
    }

    private static Map<String, Object> everything() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("agent.metrics.tlsSecret", "podhogs-tls");
        all.put("monitoring.scraperToken.create", true);
        all.put("monitoring.scraperServiceAccounts[0].name", "prometheus-k8s");
        all.put("monitoring.scraperServiceAccounts[0].namespace", "monitoring");
        all.put("rbac.pluginUsers.subjects[0].kind", "Group");
        all.put("rbac.pluginUsers.subjects[0].name", "sre-admins");
        all.put("rbac.pluginUsers.subjects[0].apiGroup", "rbac.authorization.k8s.io");
        all.put("serviceMonitor.enabled", true);
        all.put("podMonitor.enabled", true);
        all.put("prometheusRule.enabled", true);
        all.put("dashboard.enabled", true);
        all.put("docker.enabled", true);
        all.put("priorityClassName", "system-node-critical");
        all.put("agent.jsonLogs", false);
        all.put("agent.metrics.processes", true);
        all.put("imagePullSecrets[0].name", "registry");
        all.put("podAnnotations.example\\.com/a", "b");
        all.put("podLabels.team", "net");
        all.put("monitoring.labels.release", "kube-prometheus-stack");
        return all;
    }

    @Test
    void lintStrictPasses() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                () -> "helm lint --strict: " + result.getMessages());
    }

    @Test
    void everyValueIsDocumented() throws IOException {
        String readme = Files.readString(CHART.resolve("README.md"), StandardCharsets.UTF_8);
        String values = Files.readString(CHART.resolve("values.yaml"), StandardCharsets.UTF_8);
        List<String> leaves = new ArrayList<>();
        leaves("", readYaml(CHART.resolve("values.yaml")), leaves);
        assertTrue(leaves.size() > 50, leaves::toString);
        for (String leaf : leaves) {
            String documented = leaf;
            while (!readme.contains("| `" + documented + "` |") && documented.contains(".")) {
                documented = documented.substring(0, documented.lastIndexOf('.'));
            }
            assertTrue(readme.contains("| `" + documented + "` |"), leaf + " is not in helm/podhogs/README.md's table");
            String key = documented.substring(documented.lastIndexOf('.') + 1);
            assertTrue(Pattern.compile("(?m)^\\s*# -- .*(\\n\\s*#.*)*\\n\\s*" + Pattern.quote(key) + ":").matcher(values).find(),
                    documented + " has no '# --' comment in values.yaml");
        }
    }

    private static void leaves(String prefix, Map<?, ?> tree, List<String> into) {
        tree.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                leaves(prefix + k + ".", m, into);
            } else {
                into.add(prefix + k);
            }
        });
    }

    @Test
    void appVersionIsTheProjectVersion() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        String version = javax.xml.xpath.XPathFactory.newInstance().newXPath().evaluate("/project/version", pom);
        assertFalse(version.isBlank());
        Map<?, ?> chart = readYaml(CHART.resolve("Chart.yaml"));
        assertEquals("v2", chart.get("apiVersion"));
        assertEquals(version, chart.get("appVersion"), "Chart.yaml appVersion must be pom.xml's version");
        assertEquals("podhogs:" + version, agent(daemonSet(Map.of())).getImage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyVariantRendersKnownTypedObjectsOnly(String name, Map<String, Object> values) {
        List<HasMetadata> objects = parse(render(values));
        assertFalse(objects.isEmpty());
        for (HasMetadata o : objects) {
            assertNotNull(o.getMetadata().getName(), o.getKind());
            boolean clusterScoped = o instanceof ClusterRole || o instanceof ClusterRoleBinding;
            assertEquals(clusterScoped ? null : NAMESPACE, o.getMetadata().getNamespace(), o.getKind());
        }
        assertTrue(all(objects, Namespace.class).isEmpty(), "the chart makes no Namespace (k8s/namespace.yaml does)");
        one(objects, DaemonSet.class);
    }

    @Test
    void unknownFieldsAreCaught() {
        // The check every rendered object goes through must be able to fail.
        String manifest = render(Map.of()).replace("hostPID: true", "hostPID: true\n      hostPIDS: true");
        AssertionError e = assertThrows(AssertionError.class, () -> parse(manifest));
        assertTrue(e.getMessage().contains("hostPIDS"), e.getMessage());
        String unknownKind = "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: x\n";
        assertThrows(AssertionError.class, () -> parse(unknownKind));
    }

    @Test
    void defaultsRenderTheAgentAndItsAccessOnly() {
        List<HasMetadata> objects = parse(render(Map.of()));
        assertEquals(Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "Service", "DaemonSet"),
                objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet()));
        // The agent's account, role and binding; the metrics-reader role; the plugin users' Role (unbound).
        assertEquals(7, objects.size());
    }

    @Test
    void podRunsInTheNodesPidAndNetworkNamespaces() {
        DaemonSet ds = daemonSet(Map.of());
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getHostPID());
        assertEquals(Boolean.TRUE, pod.getHostNetwork());
        assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
        assertEquals(List.of("agent"), agent(ds).getArgs());
        assertTrue(agent(ds).getCommand() == null || agent(ds).getCommand().isEmpty(), "the image's entrypoint runs java");
        assertEquals("RollingUpdate", ds.getSpec().getUpdateStrategy().getType());
        assertEquals(1, ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertEquals(1, pod.getTolerations().size());
        assertEquals("Exists", pod.getTolerations().get(0).getOperator());
        assertNull(pod.getTolerations().get(0).getKey(), "every taint is tolerated");
        assertNull(pod.getPriorityClassName());
        assertEquals("system-node-critical", daemonSet(Map.of("priorityClassName", "system-node-critical"))
                .getSpec().getTemplate().getSpec().getPriorityClassName());
        Map<String, Quantity> requests = agent(ds).getResources().getRequests();
        assertEquals(new Quantity("100m"), requests.get("cpu"));
        assertEquals(new Quantity("192Mi"), requests.get("memory"));
        assertEquals(new Quantity("512Mi"), agent(ds).getResources().getLimits().get("memory"));
        String javaOpts = env(agent(ds), "JAVA_OPTS");
        assertTrue(javaOpts.contains("-XX:MaxRAMPercentage=75") && javaOpts.contains("-Djava.io.tmpdir=/tmp"), javaOpts);
    }

    @Test
    void securityContextIsLeastPrivilege() throws IOException {
        DaemonSet ds = daemonSet(Map.of());
        SecurityContext sc = agent(ds).getSecurityContext();
        assertEquals(Boolean.FALSE, sc.getPrivileged());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
        assertEquals(0L, sc.getRunAsUser());
        assertEquals(Boolean.FALSE, sc.getRunAsNonRoot());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        @SuppressWarnings("unchecked")
        List<String> fromValues = (List<String>) at(readYaml(CHART.resolve("values.yaml")), "securityContext.capabilities");
        assertEquals(ImageIT.GRANTED, fromValues, "the chart grants what the image test measured as needed");
        assertEquals(fromValues, sc.getCapabilities().getAdd(), "the capabilities added are exactly values.yaml's");
        assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());
        assertEquals("Unconfined", sc.getAppArmorProfile().getType());
        assertNull(ds.getSpec().getTemplate().getSpec().getSecurityContext(), "no pod-level override");
        assertEquals("unconfined", ds.getSpec().getTemplate().getMetadata().getAnnotations()
                .get("container.apparmor.security.beta.kubernetes.io/podhogs"));
        assertEquals("podhogs", agent(ds).getName(), "the AppArmor annotation names this container");

        // The list is a value: what is given is what is added, nothing more.
        SecurityContext fewer = agent(daemonSet(Map.of("securityContext.capabilities", List.of("NET_RAW", "SYS_PTRACE"))))
                .getSecurityContext();
        assertEquals(List.of("NET_RAW", "SYS_PTRACE"), fewer.getCapabilities().getAdd());
        DaemonSet legacyOff = daemonSet(Map.of("securityContext.appArmorAnnotation", false));
        Map<String, String> annotations = legacyOff.getSpec().getTemplate().getMetadata().getAnnotations();
        assertTrue(annotations == null || annotations.keySet().stream().noneMatch(k -> k.contains("apparmor")));
        assertEquals("Unconfined", agent(legacyOff).getSecurityContext().getAppArmorProfile().getType());
    }

    @Test
    void hostPathsAreReadOnlyAndOnlyWhatTheAgentReadsButTheHistorysDirectory() {
        DaemonSet ds = daemonSet(Map.of());
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        Map<String, VolumeMount> mounts = mounts(agent(ds));
        assertEquals(Set.of(PROC_MOUNT, PASSWD_MOUNT, "/tmp", HISTORY_MOUNT), mounts.keySet());

        assertEquals("/proc", hostPath(pod, mounts.get(PROC_MOUNT)).getHostPath().getPath());
        Volume passwd = hostPath(pod, mounts.get(PASSWD_MOUNT));
        assertEquals("/etc/passwd", passwd.getHostPath().getPath());
        assertEquals("File", passwd.getHostPath().getType());
        assertEquals(Boolean.TRUE, mounts.get(PROC_MOUNT).getReadOnly());
        assertEquals(Boolean.TRUE, mounts.get(PASSWD_MOUNT).getReadOnly());
        assertEquals(PROC_MOUNT, env(agent(ds), "PODHOGS_PROC_ROOT"));
        assertEquals("/host/etc", env(agent(ds), "PODHOGS_ETC_ROOT"));

        Volume tmp = volume(pod, mounts.get("/tmp").getName());
        assertNotNull(tmp.getEmptyDir(), "/tmp is an emptyDir: the root filesystem is read-only");
        assertEquals("Memory", tmp.getEmptyDir().getMedium());
        assertEquals(new Quantity("64Mi"), tmp.getEmptyDir().getSizeLimit());
        assertTrue(mounts.get("/tmp").getReadOnly() == null || !mounts.get("/tmp").getReadOnly());

        for (DaemonSet variant : List.of(ds, daemonSet(everything()))) {
            for (Container c : variant.getSpec().getTemplate().getSpec().getContainers()) {
                for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
                    assertFalse(m.getMountPath().startsWith("/sys"), "no /sys mount: " + m.getMountPath());
                    Volume v = volume(variant.getSpec().getTemplate().getSpec(), m.getName());
                    if ((v.getHostPath() != null || v.getSecret() != null) && !m.getMountPath().equals(HISTORY_MOUNT)) {
                        assertEquals(Boolean.TRUE, m.getReadOnly(), m.getMountPath() + " must be read-only");
                    }
                }
            }
            for (Volume v : variant.getSpec().getTemplate().getSpec().getVolumes()) {
                if (v.getHostPath() != null) {
                    assertTrue(Set.of("/proc", "/etc/passwd", "/var/run/docker.sock", "/var/lib/podhogs")
                                    .contains(v.getHostPath().getPath()),
                            "unexpected hostPath " + v.getHostPath().getPath());
                }
            }
        }
        assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getHostPath() != null
                && v.getHostPath().getPath().startsWith("/sys")), "/sys/fs/cgroup is not mounted");
    }

    /** The one directory the agent writes: the node's history, on a hostPath that outlives the pod, or nothing. */
    @Test
    void theHistoryIsOnAWritableHostPathByDefaultAndOffWithItsValue() {
        DaemonSet ds = daemonSet(Map.of());
        VolumeMount mount = mounts(agent(ds)).get(HISTORY_MOUNT);
        assertTrue(mount.getReadOnly() == null || !mount.getReadOnly(), "the history is written");
        Volume dir = hostPath(ds.getSpec().getTemplate().getSpec(), mount);
        assertEquals("/var/lib/podhogs", dir.getHostPath().getPath());
        assertEquals("DirectoryOrCreate", dir.getHostPath().getType());
        assertEquals("true", env(agent(ds), "PODHOGS_HISTORY_ENABLED"));
        assertEquals(HISTORY_MOUNT + "/history.db", env(agent(ds), "PODHOGS_HISTORY_FILE"));
        assertEquals("30s", env(agent(ds), "PODHOGS_HISTORY_FLUSH_INTERVAL"));
        assertEquals("48h", env(agent(ds), "PODHOGS_HISTORY_RETENTION_5MIN"));

        DaemonSet moved = daemonSet(Map.of("history.hostPath", "/data/podhogs", "history.retention.days", "2000h"));
        assertEquals("/data/podhogs", hostPath(moved.getSpec().getTemplate().getSpec(),
                mounts(agent(moved)).get(HISTORY_MOUNT)).getHostPath().getPath());
        assertEquals("2000h", env(agent(moved), "PODHOGS_HISTORY_RETENTION_DAYS"));

        DaemonSet off = daemonSet(Map.of("history.enabled", false));
        assertFalse(mounts(agent(off)).containsKey(HISTORY_MOUNT));
        assertTrue(off.getSpec().getTemplate().getSpec().getVolumes().stream()
                .noneMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().equals("/var/lib/podhogs")));
        assertEquals("false", env(agent(off), "PODHOGS_HISTORY_ENABLED"));
    }

    @Test
    void anApplicationsFileIsAConfigMapDirectoryMountedReadOnlyAndReloadedNotRolled() throws Exception {
        String rules = "apps:\n  - name: web\n    rules:\n      - match: nginx\n";
        DaemonSet plain = daemonSet(Map.of());
        assertNull(env(agent(plain), "PODHOGS_APPS_FILE"), "automatic by default");
        assertEquals("app.kubernetes.io/name", env(agent(plain), "PODHOGS_APPS_LABEL"));
        assertEquals("100", env(agent(plain), "PODHOGS_METRICS_MAX_APP_SERIES"));

        List<HasMetadata> objects = parse(render(Map.of("agent.apps.rules", rules)));
        io.fabric8.kubernetes.api.model.ConfigMap map = one(objects, io.fabric8.kubernetes.api.model.ConfigMap.class);
        assertEquals(rules, map.getData().get("apps.yaml"), "the file as given");
        // What the agent reads is a file it can use.
        assertEquals("web", io.podhogs.apps.AppRulesFile.parse("apps.yaml", map.getData().get("apps.yaml"),
                u -> java.util.OptionalInt.empty(), true).apps().get(0).name());
        DaemonSet ds = one(objects, DaemonSet.class);
        Container agent = agent(ds);
        assertEquals("/etc/podhogs/apps/apps.yaml", env(agent, "PODHOGS_APPS_FILE"));
        VolumeMount mount = mounts(agent).get("/etc/podhogs/apps");
        assertTrue(mount.getReadOnly(), "read-only");
        assertEquals(map.getMetadata().getName(), volume(ds.getSpec().getTemplate().getSpec(), mount.getName())
                .getConfigMap().getName());
        assertNull(mount.getSubPath(), "the directory: a subPath mount is a copy the kubelet never updates");
        // The agent reads a new version itself (AgentAppsReloadTest): a change rolls no pods.
        Map<String, String> annotations = ds.getSpec().getTemplate().getMetadata().getAnnotations();
        assertTrue(annotations == null || annotations.keySet().stream().noneMatch(k -> k.startsWith("checksum/")),
                () -> "no checksum annotation: " + annotations);
    }

    @Test
    void alertRulesAreAConfigMapDirectoryAndEventsAreOptIn() throws Exception {
        String rules = "alerts:\n  - name: web-egress\n    per: pod\n    above: 50MiB/s\n    event: true\n";
        DaemonSet plain = daemonSet(Map.of());
        assertNull(env(agent(plain), "PODHOGS_ALERTS_FILE"), "no alerts by default");
        assertEquals("false", env(agent(plain), "PODHOGS_ALERTS_EVENTS"), "no Events by default");

        List<HasMetadata> objects = parse(render(Map.of("agent.alerts.rules", rules, "agent.alerts.events", true)));
        ConfigMap map = objects.stream().filter(o -> o instanceof ConfigMap c && c.getMetadata().getName().endsWith("-alerts"))
                .map(ConfigMap.class::cast).findFirst().orElseThrow();
        assertEquals(rules, map.getData().get("alerts.yaml"), "the file as given");
        assertEquals(List.of("web-egress"), io.podhogs.alerts.AlertRulesFile.parse("alerts.yaml",
                map.getData().get("alerts.yaml"), u -> java.util.OptionalInt.empty(), true, true).stream()
                .map(io.podhogs.alerts.AlertRule::name).toList(), "what the agent reads is a file it can use");
        Container agent = agent(one(objects, DaemonSet.class));
        assertEquals("/etc/podhogs/alerts/alerts.yaml", env(agent, "PODHOGS_ALERTS_FILE"));
        assertEquals("true", env(agent, "PODHOGS_ALERTS_EVENTS"));
        VolumeMount mount = mounts(agent).get("/etc/podhogs/alerts");
        assertTrue(mount.getReadOnly(), "read-only");
        assertNull(mount.getSubPath(), "the directory: a subPath mount is a copy the kubelet never updates");
    }

    @Test
    void dockerSocketIsOptionalAndReadOnly() {
        assertTrue(daemonSet(Map.of()).getSpec().getTemplate().getSpec().getVolumes().stream()
                .noneMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().contains("docker")));
        DaemonSet ds = daemonSet(Map.of("docker.enabled", true));
        VolumeMount mount = mounts(agent(ds)).get("/var/run/docker.sock");
        assertNotNull(mount);
        assertEquals(Boolean.TRUE, mount.getReadOnly());
        Volume socket = hostPath(ds.getSpec().getTemplate().getSpec(), mount);
        assertEquals("/var/run/docker.sock", socket.getHostPath().getPath());
        assertEquals("Socket", socket.getHostPath().getType());
        assertEquals("unix:///var/run/docker.sock", env(agent(ds), "DOCKER_HOST"));
    }

    @Test
    void environmentCarriesNodeNameAndSettings() throws IOException {
        Container agent = agent(daemonSet(Map.of()));
        EnvVar node = agent.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst().orElseThrow();
        assertNull(node.getValue());
        assertEquals("spec.nodeName", node.getValueFrom().getFieldRef().getFieldPath());
        assertEquals("auto", env(agent, "PODHOGS_KUBERNETES_MODE"));
        assertEquals(Integer.toString(agentPort()), env(agent, "QUARKUS_MANAGEMENT_PORT"));
        assertEquals(Integer.toString(apiPort()), env(agent, "QUARKUS_HTTP_PORT"));
        assertEquals("kubernetes", env(agent, "PODHOGS_METRICS_AUTH"), "/metrics needs a token by default");
        assertEquals("60s", env(agent, "PODHOGS_METRICS_AUTH_CACHE_TTL"));
        assertEquals("false", env(agent, "PODHOGS_SHOW_SECRETS"), "command lines redacted by default");
        assertEquals("4", env(agent, "PODHOGS_API_MAX_CONCURRENT_REQUESTS"));
        assertEquals("true", env(agent, "QUARKUS_LOG_CONSOLE_JSON_ENABLED"));
        assertEquals("false", env(agent, "PODHOGS_METRICS_PROCESSES"));
        assertEquals("false", env(agent, "PODHOGS_KUBERNETES_CLUSTER_POD_INDEX"));
        assertEquals("any", env(agent, "PODHOGS_CAPTURE"));
        assertEquals("16", env(agent, "PODHOGS_BUFFER_MIB"));
        assertNull(env(agent, "QUARKUS_MANAGEMENT_SSL_CERTIFICATE_FILES"), "no TLS by default");
        assertNull(env(agent, "PODHOGS_INCLUDE"), "empty lists leave the agent's default");

        assertEquals("false", env(agent(daemonSet(Map.of("agent.jsonLogs", false))), "QUARKUS_LOG_CONSOLE_JSON_ENABLED"));
        assertEquals("true", env(agent(daemonSet(Map.of("agent.metrics.processes", true))), "PODHOGS_METRICS_PROCESSES"));
        Container set = agent(daemonSet(Map.of("agent.include", List.of("eth*", "cali*"), "agent.filter", "tcp or udp",
                "agent.kubernetes.podCidrs", List.of("10.244.0.0/16", "fd00::/48"), "agent.metrics.podLabels", List.of("app"),
                "agent.kubernetes.clusterPodIndex", true, "extraEnv[0].name", "EXTRA", "extraEnv[0].value", "1")));
        assertEquals("eth*,cali*", env(set, "PODHOGS_INCLUDE"));
        assertEquals("tcp or udp", env(set, "PODHOGS_FILTER"));
        assertEquals("10.244.0.0/16,fd00::/48", env(set, "PODHOGS_KUBERNETES_POD_CIDRS"));
        assertEquals("app", env(set, "PODHOGS_METRICS_POD_LABELS"));
        assertEquals("true", env(set, "PODHOGS_KUBERNETES_CLUSTER_POD_INDEX"));
        assertEquals("1", env(set, "EXTRA"));

        assertNull(env(agent, "PODHOGS_SELECT_MATCH"), "no filter by default");
        Container selected = agent(daemonSet(Map.of("agent.select.match", List.of("nginx", "a{1,3}b"),
                "agent.select.users", List.of("www-data", "1001"), "agent.select.selector", "app=web,tier!=db")));
        assertEquals("nginx,a{1\\,3}b", env(selected, "PODHOGS_SELECT_MATCH"), "a comma in a regular expression escaped");
        assertEquals("www-data,1001", env(selected, "PODHOGS_SELECT_USERS"));
        assertEquals("app=web,tier!=db", env(selected, "PODHOGS_SELECT_SELECTOR"));
    }

    @Test
    void everyPodhogsVariableIsASettingOfTheAgent() {
        Set<String> settings = new TreeSet<>();
        settingVariables("PODHOGS", AgentConfig.class, settings);
        assertTrue(settings.contains("PODHOGS_BUFFER_MIB") && settings.contains("PODHOGS_KUBERNETES_POD_GRACE"), settings::toString);
        Map<String, Object> values = new LinkedHashMap<>(everything());
        values.putAll(Map.of("agent.interfaces", List.of("eth0"), "agent.include", List.of("eth*"), "agent.exclude", List.of("lo"),
                "agent.filter", "tcp", "agent.kubernetes.nodeName", "n", "agent.kubernetes.podCidrs", List.of("10.0.0.0/8"),
                "agent.kubernetes.serviceCidrs", List.of("10.96.0.0/12"), "agent.metrics.podLabels", List.of("app")));
        values.putAll(Map.of("agent.select.match", List.of("a"), "agent.select.ignore", List.of("b"), "agent.select.users",
                List.of("root"), "agent.select.containers", List.of("c"), "agent.select.namespaces", List.of("d"),
                "agent.select.selector", "e=f", "agent.apps.rules", "apps:\n  - name: a\n    rules:\n      - match: a\n",
                "agent.alerts.rules", "alerts:\n  - name: a\n    above: 1MiB/s\n"));
        List<String> names = agent(daemonSet(values)).getEnv().stream().map(EnvVar::getName)
                .filter(n -> n.startsWith("PODHOGS_")).toList();
        assertEquals(48, names.size(), names::toString); // every setting the chart can pass, with the /proc and /etc roots
        for (String name : names) {
            assertTrue(settings.contains(name), name + " is no setting of AgentConfig: " + settings);
        }
    }

    /** PODHOGS_BUFFER_MIB for bufferMib(): Quarkus's environment names of a @ConfigMapping's properties. */
    private static void settingVariables(String prefix, Class<?> mapping, Set<String> into) {
        for (Method m : mapping.getDeclaredMethods()) {
            if (m.isSynthetic() || java.lang.reflect.Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0) {
                continue;
            }
            io.smallrye.config.WithName named = m.getAnnotation(io.smallrye.config.WithName.class);
            String property = named != null ? named.value() : m.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2");
            String name = prefix + "_" + property.toUpperCase(Locale.ROOT);
            if (m.getReturnType().isInterface() && m.getReturnType().getName().startsWith(AgentConfig.class.getName() + "$")) {
                settingVariables(name, m.getReturnType(), into);
            } else {
                into.add(name);
            }
        }
    }

    @Test
    void probesAskTheAgentsHealthOnItsPort() throws IOException {
        Container agent = agent(daemonSet(Map.of()));
        int port = agentPort();
        assertEquals(port, agent.getPorts().get(0).getContainerPort());
        assertEquals("http-metrics", agent.getPorts().get(0).getName());
        assertEquals(apiPort(), agent.getPorts().get(1).getContainerPort(), "the API's port, named for kubectl podhogs");
        assertEquals("api", agent.getPorts().get(1).getName());
        assertEquals(2, agent.getPorts().size());
        assertProbe(agent.getLivenessProbe().getHttpGet(), "/q/health/live", port, null);
        assertProbe(agent.getReadinessProbe().getHttpGet(), "/q/health/ready", port, null);
        assertProbe(agent.getStartupProbe().getHttpGet(), "/q/health/live", port, null);
        for (var probe : List.of(agent.getLivenessProbe(), agent.getReadinessProbe(), agent.getStartupProbe())) {
            assertNull(probe.getHttpGet().getScheme(), "HTTP: no TLS by default");
        }
        int startupSeconds = agent.getStartupProbe().getPeriodSeconds() * agent.getStartupProbe().getFailureThreshold();
        assertTrue(startupSeconds >= 30, "a JVM start (~5 s) must fit the startup probe: " + startupSeconds + " s");
    }

    @Test
    void theApiListensOnLoopbackAndTheManagementInterfaceOnTheNode() throws IOException {
        var properties = ChartObjects.applicationProperties();
        assertEquals("127.0.0.1", properties.getProperty("quarkus.http.host"), "the API: 127.0.0.1 only");
        assertEquals("0.0.0.0", properties.getProperty("quarkus.management.host"), "metrics and health: the node's addresses");
        assertEquals("true", properties.getProperty("quarkus.management.enabled"));
        assertEquals("false", properties.getProperty("quarkus.smallrye-openapi.management.enabled"),
                "the OpenAPI document with the API, not on the node's addresses");
        assertEquals("/metrics", properties.getProperty("quarkus.micrometer.export.prometheus.path"));
        for (Map<String, Object> values : List.of(Map.<String, Object>of(), everything())) {
            Container agent = agent(daemonSet(values));
            assertNull(env(agent, "QUARKUS_HTTP_HOST"), "no value opens the API to the node's addresses");
            assertNull(env(agent, "QUARKUS_MANAGEMENT_HOST"));
        }
    }

    private static void assertProbe(HTTPGetAction get, String path, int port, String host) {
        assertEquals(path, get.getPath());
        assertEquals(port, get.getPort().getIntVal());
        assertEquals(host, get.getHost());
    }

    @Test
    void clusterRoleGrantsExactlyWhatTheAgentReads() throws IOException {
        List<HasMetadata> objects = parse(render(Map.of()));
        ClusterRole role = named(objects, ClusterRole.class, "podhogs");
        Set<String> expected = new TreeSet<>(AGENT_RULES);
        expected.addAll(REVIEW_RULES);
        assertEquals(expected, rules(role), "what it reads, and the reviews of /metrics's tokens");
        ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class);
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        ServiceAccount account = one(objects, ServiceAccount.class);
        assertEquals(1, binding.getSubjects().size());
        assertEquals(account.getMetadata().getName(), binding.getSubjects().get(0).getName());
        assertEquals(NAMESPACE, binding.getSubjects().get(0).getNamespace());
        assertEquals(account.getMetadata().getName(),
                one(objects, DaemonSet.class).getSpec().getTemplate().getSpec().getServiceAccountName());
        // The pod index of the whole cluster lists pods too: the same rule.
        assertEquals(expected, rules(named(parse(render(Map.of("agent.kubernetes.clusterPodIndex", true))),
                ClusterRole.class, "podhogs")));
        // The alerts' Events: off by default, one create rule when asked for.
        Set<String> withEvents = new TreeSet<>(expected);
        withEvents.add("/events:create");
        assertEquals(withEvents, rules(named(parse(render(Map.of("agent.alerts.events", true))), ClusterRole.class,
                "podhogs")));
        // /metrics open: no reviews.
        assertEquals(AGENT_RULES, rules(named(parse(render(Map.of("agent.metrics.auth", "none"))), ClusterRole.class,
                "podhogs")));
    }

    /**
     * AGENT_RULES was read from the agent's code; this fails when the code starts using an API entry
     * point the rules do not cover, so that the ClusterRole is looked at again.
     */
    @Test
    void agentUsesNoOtherApiThanTheRulesCover() throws IOException {
        // client.pods(), client.apps().replicaSets(), client.network().v1().serviceCIDRs(): the resources asked for.
        Pattern call = Pattern.compile("client\\s*\\.\\s*(?:(apps|batch|network|v1)\\(\\)\\s*\\.\\s*(?:v1\\(\\)\\s*\\.\\s*)?)?(\\w+)\\(\\)");
        Set<String> used = new TreeSet<>();
        Map<String, String> statements = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(f, StandardCharsets.UTF_8);
                if (!source.contains("io.fabric8.kubernetes.client")) {
                    continue;
                }
                Matcher m = call.matcher(source);
                while (m.find()) {
                    String method = m.group(2);
                    if (m.group(1) == null && (method.startsWith("get") || method.equals("close"))) {
                        continue; // the client's own configuration and lifecycle, no request
                    }
                    String resource = (m.group(1) == null ? "" : m.group(1) + "/") + method;
                    used.add(resource);
                    int end = source.indexOf(';', m.end());
                    statements.merge(resource, source.substring(m.end(), end), String::concat);
                }
            }
        }
        assertEquals(Set.of("pods", "nodes", "services", "network/serviceCIDRs", "apps/replicaSets", "batch/jobs",
                "v1/events"), used,
                "the agent's API calls changed: review the ClusterRole (templates/clusterrole.yaml) and AGENT_RULES");
        // client.resource(OBJECT): the token reviews of /metrics only, each a create (REVIEW_RULES).
        List<String> generic = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = Pattern.compile("client\\s*\\.\\s*resource\\((new \\w+)[^;]*\\.(\\w+)\\(\\);")
                        .matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    generic.add(f.getFileName() + ": " + m.group(1) + " " + m.group(2));
                }
            }
        }
        assertEquals(List.of("TokenReviews.java: new TokenReviewBuilder create",
                "TokenReviews.java: new SubjectAccessReviewBuilder create"), generic);
        // Events are only made (the alerts', agent.alerts.events: EVENT_RULES), never read.
        assertTrue(statements.get("v1/events").matches("(?s)\\.inNamespace\\(namespace\\)\\.resource\\(.*\\)\\.create\\(\\)"),
                statements.get("v1/events"));
        // Owners are only read one by one (get); pods, nodes, Services and ServiceCIDRs go to watch(), an informer.
        for (String owner : List.of("apps/replicaSets", "batch/jobs")) {
            assertTrue(statements.get(owner).matches("(?s).*\\.withName\\(.*\\)\\.get\\(\\)"), owner + statements.get(owner));
        }
        String identity = Files.readString(ROOT.resolve("src/main/java/io/podhogs/identity/kubernetes/KubernetesIdentity.java"));
        assertTrue(identity.contains("source.runnableInformer("), "informers: list and watch");
        for (String informed : List.of("client.pods().inAnyNamespace().withField(\"spec.nodeName\"", "watch(\"nodes\", client.nodes()",
                "watch(\"services\", client.services().inAnyNamespace()", "watch(\"servicecidrs\", client.network().v1().serviceCIDRs()")) {
            assertTrue(identity.contains(informed), informed);
        }
    }

    private static Set<String> rules(ClusterRole role) {
        Set<String> rules = new TreeSet<>();
        for (PolicyRule r : role.getRules()) {
            assertTrue(r.getResourceNames() == null || r.getResourceNames().isEmpty(), "no resourceNames");
            assertTrue(r.getNonResourceURLs() == null || r.getNonResourceURLs().isEmpty());
            for (String group : r.getApiGroups()) {
                for (String resource : r.getResources()) {
                    for (String verb : r.getVerbs()) {
                        assertFalse(group.equals("*") || resource.equals("*") || verb.equals("*"), "no wildcard");
                        assertTrue(rules.add(group + "/" + resource + ":" + verb), "duplicate " + resource + ":" + verb);
                    }
                }
            }
        }
        return rules;
    }

    @Test
    void headlessServiceExposesTheAgentsPort() throws IOException {
        List<HasMetadata> objects = parse(render(Map.of()));
        Service service = one(objects, Service.class);
        assertEquals("None", service.getSpec().getClusterIP());
        ServicePort port = service.getSpec().getPorts().get(0);
        assertEquals(1, service.getSpec().getPorts().size());
        assertEquals("http-metrics", port.getName());
        assertEquals(agentPort(), port.getPort(), "the Service's port is quarkus.management.port of application.properties");
        assertEquals("http-metrics", port.getTargetPort().getStrVal());
        DaemonSet ds = one(objects, DaemonSet.class);
        assertSelects(service.getSpec().getSelector(), ds.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(ds.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
        assertTrue(agent(ds).getPorts().stream().anyMatch(p -> p.getName().equals(port.getTargetPort().getStrVal())));
    }

    @Test
    void metricsNeedATokenThatTheMonitorsSend() throws IOException {
        List<HasMetadata> objects = parse(render(Map.of("serviceMonitor.enabled", true)));
        ClusterRole reader = named(objects, ClusterRole.class, "podhogs-metrics-reader");
        assertEquals(List.of("/metrics"), reader.getRules().get(0).getNonResourceURLs());
        assertEquals(List.of("get"), reader.getRules().get(0).getVerbs());
        assertEquals(1, reader.getRules().size());
        // The ServiceMonitor sends Prometheus's own service account token.
        Endpoint endpoint = one(objects, ServiceMonitor.class).getSpec().getEndpoints().get(0);
        assertEquals("/var/run/secrets/kubernetes.io/serviceaccount/token", endpoint.getBearerTokenFile());
        assertNull(endpoint.getAuthorization());
        assertEquals("http", endpoint.getScheme());
        assertTrue(all(objects, Secret.class).isEmpty(), "no token made by the chart unless asked");

        // A PodMonitor cannot send Prometheus's own token: it is refused without one to send.
        RuntimeException refused = assertThrows(RuntimeException.class, () -> render(Map.of("podMonitor.enabled", true)));
        assertTrue(String.valueOf(refused.getMessage()).contains("monitoring.authorizationSecret or"
                + " monitoring.scraperToken.create"), refused::getMessage);

        // The chart's scraper token: an account bound to metrics-reader, its token sent by both monitors.
        List<HasMetadata> scraper = parse(render(Map.of("serviceMonitor.enabled", true, "podMonitor.enabled", true,
                "monitoring.scraperToken.create", true)));
        Secret token = one(scraper, Secret.class);
        assertEquals("kubernetes.io/service-account-token", token.getType());
        ServiceAccount account = named(scraper, ServiceAccount.class, "podhogs-scraper");
        assertEquals(account.getMetadata().getName(), token.getMetadata().getAnnotations().get("kubernetes.io/service-account.name"));
        ClusterRoleBinding bound = named(scraper, ClusterRoleBinding.class, "podhogs-scraper");
        assertEquals("podhogs-metrics-reader", bound.getRoleRef().getName());
        assertEquals(account.getMetadata().getName(), bound.getSubjects().get(0).getName());
        Endpoint sm = one(scraper, ServiceMonitor.class).getSpec().getEndpoints().get(0);
        assertEquals(token.getMetadata().getName(), sm.getAuthorization().getCredentials().getName());
        assertEquals("token", sm.getAuthorization().getCredentials().getKey());
        assertNull(sm.getBearerTokenFile());
        PodMetricsEndpoint pm = one(scraper, PodMonitor.class).getSpec().getPodMetricsEndpoints().get(0);
        assertEquals("Bearer", pm.getAuthorization().getType());
        assertEquals(token.getMetadata().getName(), pm.getAuthorization().getCredentials().getName());

        // Prometheus's own account bound to metrics-reader by the chart.
        ClusterRoleBinding readers = named(parse(render(Map.of("monitoring.scraperServiceAccounts[0].name", "prometheus-k8s",
                "monitoring.scraperServiceAccounts[0].namespace", "monitoring"))), ClusterRoleBinding.class,
                "podhogs-metrics-readers");
        assertEquals("podhogs-metrics-reader", readers.getRoleRef().getName());
        assertEquals("ServiceAccount", readers.getSubjects().get(0).getKind());
        assertEquals("prometheus-k8s", readers.getSubjects().get(0).getName());
        assertEquals("monitoring", readers.getSubjects().get(0).getNamespace());

        // /metrics open: the monitors send nothing.
        List<HasMetadata> open = parse(render(Map.of("agent.metrics.auth", "none", "serviceMonitor.enabled", true,
                "podMonitor.enabled", true)));
        assertNull(one(open, ServiceMonitor.class).getSpec().getEndpoints().get(0).getBearerTokenFile());
        assertNull(one(open, PodMonitor.class).getSpec().getPodMetricsEndpoints().get(0).getAuthorization());
        assertEquals("none", env(agent(one(open, DaemonSet.class)), "PODHOGS_METRICS_AUTH"));
    }

    @Test
    void metricsOverTlsWithTheSecretsCertificate() throws IOException {
        List<HasMetadata> objects = parse(render(Map.of("agent.metrics.tlsSecret", "podhogs-tls", "serviceMonitor.enabled",
                true, "podMonitor.enabled", true, "monitoring.scraperToken.create", true)));
        DaemonSet ds = one(objects, DaemonSet.class);
        Container agent = agent(ds);
        assertEquals("/etc/podhogs/tls/tls.crt", env(agent, "QUARKUS_MANAGEMENT_SSL_CERTIFICATE_FILES"));
        assertEquals("/etc/podhogs/tls/tls.key", env(agent, "QUARKUS_MANAGEMENT_SSL_CERTIFICATE_KEY_FILES"));
        VolumeMount mount = mounts(agent).get("/etc/podhogs/tls");
        assertEquals(Boolean.TRUE, mount.getReadOnly());
        assertEquals("podhogs-tls", volume(ds.getSpec().getTemplate().getSpec(), mount.getName()).getSecret().getSecretName());
        assertEquals("https-metrics", agent.getPorts().get(0).getName());
        for (var probe : List.of(agent.getLivenessProbe(), agent.getReadinessProbe(), agent.getStartupProbe())) {
            assertEquals("HTTPS", probe.getHttpGet().getScheme());
            assertEquals(agentPort(), probe.getHttpGet().getPort().getIntVal());
        }
        Service service = one(objects, Service.class);
        assertEquals("https-metrics", service.getSpec().getPorts().get(0).getName());
        Endpoint sm = one(objects, ServiceMonitor.class).getSpec().getEndpoints().get(0);
        assertEquals("https-metrics", sm.getPort());
        assertEquals("https", sm.getScheme());
        assertEquals(Boolean.TRUE, sm.getTlsConfig().getInsecureSkipVerify());
        PodMetricsEndpoint pm = one(objects, PodMonitor.class).getSpec().getPodMetricsEndpoints().get(0);
        assertEquals("https", pm.getScheme());
        // A CA given: the scrapers check the certificate.
        Endpoint checked = one(parse(render(Map.of("agent.metrics.tlsSecret", "podhogs-tls", "serviceMonitor.enabled", true,
                "monitoring.tlsConfig.ca.secret.name", "podhogs-ca", "monitoring.tlsConfig.ca.secret.key", "ca.crt",
                "monitoring.tlsConfig.serverName", "podhogs"))), ServiceMonitor.class).getSpec().getEndpoints().get(0);
        assertNull(checked.getTlsConfig().getInsecureSkipVerify());
        assertEquals("podhogs-ca", checked.getTlsConfig().getCa().getSecret().getName());
    }

    @Test
    void pluginUsersGetPortForwardAndListPodsOnlyAndOnlyWhenBound() throws IOException {
        List<HasMetadata> objects = parse(render(Map.of()));
        Role role = one(objects, Role.class);
        assertEquals("podhogs-kubectl-podhogs", role.getMetadata().getName());
        assertEquals(NAMESPACE, role.getMetadata().getNamespace());
        Set<String> rules = new TreeSet<>();
        for (PolicyRule r : role.getRules()) {
            for (String resource : r.getResources()) {
                for (String verb : r.getVerbs()) {
                    rules.add(resource + ":" + verb);
                }
            }
        }
        assertEquals(Set.of("pods:list", "pods/portforward:get", "pods/portforward:create"), rules,
                "what kubectl podhogs does (AgentDiscovery, PortForwardChannel), and not pods/proxy or exec");
        assertTrue(all(objects, RoleBinding.class).isEmpty(), "bound to no one unless asked");
        RoleBinding bound = one(parse(render(Map.of("rbac.pluginUsers.subjects[0].kind", "Group",
                "rbac.pluginUsers.subjects[0].name", "sre-admins", "rbac.pluginUsers.subjects[0].apiGroup",
                "rbac.authorization.k8s.io"))), RoleBinding.class);
        assertEquals(role.getMetadata().getName(), bound.getRoleRef().getName());
        assertEquals("sre-admins", bound.getSubjects().get(0).getName());
        assertTrue(all(parse(render(Map.of("rbac.pluginUsers.create", false))), Role.class).isEmpty());
    }

    @Test
    void theRemovedKubeRbacProxyValuesAreRefusedWithWhy() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> render(Map.of("kubeRbacProxy.enabled", true)));
        assertTrue(String.valueOf(refused.getMessage()).contains("kubeRbacProxy was removed: the agent checks the tokens"
                + " of /metrics itself"), refused::getMessage);
    }

    @Test
    void monitorsScrapeTheAgentsMetricsPath() {
        List<HasMetadata> objects = parse(render(Map.of("serviceMonitor.enabled", true, "podMonitor.enabled", true,
                "monitoring.labels.release", "kube-prometheus-stack", "monitoring.authorizationSecret.name", "scraper",
                "monitoring.authorizationSecret.key", "token")));
        Service service = one(objects, Service.class);
        DaemonSet ds = one(objects, DaemonSet.class);
        ServiceMonitor sm = one(objects, ServiceMonitor.class);
        assertSelects(sm.getSpec().getSelector().getMatchLabels(), service.getMetadata().getLabels());
        assertEquals(List.of(NAMESPACE), sm.getSpec().getNamespaceSelector().getMatchNames());
        assertEquals("kube-prometheus-stack", sm.getMetadata().getLabels().get("release"));
        Endpoint e = sm.getSpec().getEndpoints().get(0);
        assertEquals(service.getSpec().getPorts().get(0).getName(), e.getPort());
        assertEquals("/metrics", e.getPath());
        assertEquals("http", e.getScheme());
        assertNull(e.getTlsConfig());
        assertEquals("scraper", e.getAuthorization().getCredentials().getName());
        PodMonitor pm = one(objects, PodMonitor.class);
        assertSelects(pm.getSpec().getSelector().getMatchLabels(), ds.getSpec().getTemplate().getMetadata().getLabels());
        PodMetricsEndpoint pe = pm.getSpec().getPodMetricsEndpoints().get(0);
        assertEquals("http-metrics", pe.getPort());
        assertEquals("/metrics", pe.getPath());
        assertEquals("scraper", pe.getAuthorization().getCredentials().getName());
        assertTrue(agent(ds).getPorts().stream().anyMatch(p -> p.getName().equals(pe.getPort())));
        // The target's own namespace/pod/container labels (the agent pod's) are dropped, so that
        // the series keep theirs (the measured pods') instead of becoming exported_*.
        for (var relabelings : List.of(e.getRelabelings(), pe.getRelabelings())) {
            assertTrue(relabelings.stream().anyMatch(r -> "labeldrop".equals(r.getAction())
                    && "(namespace|pod|container)".equals(r.getRegex())), relabelings::toString);
        }
    }

    @Test
    void aScraperTokenIsOnlyReferencedWhenTheChartMakesIt() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> render(Map.of(
                "monitoring.scraperToken.create", true, "serviceMonitor.enabled", true, "rbac.create", false)));
        assertTrue(String.valueOf(refused.getMessage()).contains("monitoring.scraperToken.create needs rbac.create"),
                refused::getMessage);
    }

    @Test
    void prometheusRuleAlertsOnBandwidthDropsAndDownAgents() throws IOException {
        PrometheusRule rule = one(parse(render(Map.of("prometheusRule.enabled", true,
                "prometheusRule.podExternalTransmitBytesPerSecond", 12345))), PrometheusRule.class);
        Map<String, String> alerts = new LinkedHashMap<>();
        for (var group : rule.getSpec().getGroups()) {
            for (Rule r : group.getRules()) {
                assertNotNull(r.getAlert());
                alerts.put(r.getAlert(), r.getExpr().getStrVal().replaceAll("\\s+", " ").trim());
                assertNotNull(r.getAnnotations().get("summary"), r.getAlert());
                assertNotNull(r.getLabels().get("severity"), r.getAlert());
            }
        }
        long threshold = ((Number) at(readYaml(CHART.resolve("values.yaml")), "prometheusRule.podTransmitBytesPerSecond")).longValue();
        assertEquals("sum by (namespace, pod, node) (rate(podhogs_pod_network_transmit_bytes_total[5m])) > " + threshold,
                alerts.get("PodhogsPodTransmitHigh"));
        assertTrue(alerts.get("PodhogsPodReceiveHigh").contains("rate(podhogs_pod_network_receive_bytes_total[5m])"));
        assertEquals("sum by (namespace, pod, node) (rate(podhogs_pod_remote_network_transmit_bytes_total"
                + "{remote_class=\"external\"}[5m])) > 12345", alerts.get("PodhogsPodExternalEgressHigh"));
        assertEquals("increase(podhogs_capture_kernel_drops_total{capture!=\"devices gone\"}[5m]) > 0",
                alerts.get("PodhogsKernelDrops"));
        assertEquals("podhogs_capture_running == 0", alerts.get("PodhogsCaptureNotRunning"));
        assertEquals("up{job=~\"podhogs|podhogs/podhogs\"} == 0", alerts.get("PodhogsAgentDown"));
        assertEquals("external", io.podhogs.identity.RemoteClass.EXTERNAL.label());
        alerts.values().forEach(HelmChartTest::assertMetricsExist);
    }

    @Test
    void dashboardIsAGrafanaSidecarConfigMap() throws IOException {
        ConfigMap cm = one(parse(render(Map.of("dashboard.enabled", true))), ConfigMap.class);
        assertEquals("1", cm.getMetadata().getLabels().get("grafana_dashboard"));
        JsonNode dashboard = new ObjectMapper().readTree(cm.getData().get("podhogs.json"));
        assertEquals("podhogs", dashboard.get("uid").asText());
        List<String> exprs = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.get("expr").asText())));
        String all = String.join("\n", exprs);
        for (String metric : List.of("podhogs_pod_network_transmit_bytes_total", "podhogs_pod_network_receive_bytes_total",
                "podhogs_pod_remote_network_transmit_bytes_total", "podhogs_process_network_transmit_bytes_total",
                "podhogs_capture_kernel_drops_total", "podhogs_capture_running")) {
            assertTrue(all.contains(metric), "the dashboard shows " + metric);
        }
        exprs.forEach(HelmChartTest::assertMetricsExist);
        assertEquals(dashboard, new ObjectMapper().readTree(CHART.resolve("files/podhogs-dashboard.json").toFile()));
    }

    /** Every podhogs_ series an expression names is one MetricsExporter (or the agent's rules) makes. */
    private static void assertMetricsExist(String expr) {
        String exporter;
        try {
            exporter = Files.readString(ROOT.resolve("src/main/java/io/podhogs/export/metrics/MetricsExporter.java"))
                    + Files.readString(ROOT.resolve("src/main/java/io/podhogs/agent/AgentRules.java"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Matcher m = Pattern.compile("podhogs_[a-z_]+").matcher(expr);
        while (m.find()) {
            String metric = m.group();
            Matcher traffic = Pattern.compile("podhogs_(\\w+?)_network_(transmit|receive)_(bytes|packets)_total").matcher(metric);
            if (traffic.matches()) {
                String level = traffic.group(1).replace('_', '.');
                assertTrue(exporter.contains("traffic(\"" + level + "\""), metric + ": no level " + level + " in MetricsExporter");
            } else {
                String dotted = metric.replaceFirst("_total$", "").replace('_', '.');
                // The rules files' series: a prefix and .stale or .reloads (RulesReload).
                String prefix = dotted.replaceFirst("\\.(stale|reloads)$", "");
                assertTrue(exporter.contains("\"" + dotted + "\"") || dotted.matches(".*\\.file\\.(stale|reloads)")
                        && exporter.contains("\"" + prefix + "\""), metric + ": no series " + dotted + " in MetricsExporter");
            }
        }
    }

    @Test
    void k8sManifestIsTheChartWithDefaultValues() throws IOException {
        String expected = K8sManifest.generate(render(Map.of()));
        if (Boolean.getBoolean("podhogs.regenerate")) {
            Files.createDirectories(K8S_MANIFEST.getParent());
            Files.writeString(K8S_MANIFEST, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(K8S_MANIFEST), "k8s/podhogs.yaml is missing; make it with: " + REGENERATE);
        String actual = Files.readString(K8S_MANIFEST, StandardCharsets.UTF_8);
        assertEquals(expected, actual, "k8s/podhogs.yaml is not the chart rendered with its default values;"
                + " regenerate it with: " + REGENERATE);
        assertEquals(parse(render(Map.of())).size(), parse(actual).size());
    }

    @Test
    void k8sNamespaceAdmitsPrivilegedPods() throws IOException {
        List<HasMetadata> objects = parse(Files.readString(K8S_NAMESPACE, StandardCharsets.UTF_8));
        Namespace ns = one(objects, Namespace.class);
        assertEquals(1, objects.size());
        assertEquals(NAMESPACE, ns.getMetadata().getName());
        assertEquals("privileged", ns.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
        assertTrue(parse(Files.readString(K8S_MANIFEST, StandardCharsets.UTF_8)).stream()
                .allMatch(o -> NAMESPACE.equals(o.getMetadata().getNamespace()) || o instanceof ClusterRole
                        || o instanceof ClusterRoleBinding), "every namespaced object is in " + NAMESPACE);
    }

    @Test
    void k8sNormalizationDropsOnlySourceComments() {
        String rendered = "---\n# Source: podhogs/templates/a.yaml\n# kept\napiVersion: v1\n";
        String generated = K8sManifest.generate(rendered);
        assertTrue(generated.startsWith("# generated from helm/podhogs"), generated);
        assertTrue(generated.endsWith("---\n# kept\napiVersion: v1\n"), generated);
        assertFalse(generated.contains("# Source:"));
    }

    private static DaemonSet daemonSet(Map<String, Object> values) {
        return one(parse(render(values)), DaemonSet.class);
    }

    private static Container agent(DaemonSet ds) {
        return container(ds, "podhogs");
    }

    private static Container container(DaemonSet ds, String name) {
        return ds.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static String env(Container c, String name) {
        List<EnvVar> found = c.getEnv().stream().filter(e -> e.getName().equals(name)).toList();
        assertTrue(found.size() <= 1, "one " + name + " only");
        return found.isEmpty() ? null : found.get(0).getValue();
    }

    private static Map<String, VolumeMount> mounts(Container c) {
        Map<String, VolumeMount> byPath = new LinkedHashMap<>();
        for (VolumeMount m : c.getVolumeMounts()) {
            assertNull(byPath.put(m.getMountPath(), m), "one mount at " + m.getMountPath());
        }
        return byPath;
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Volume hostPath(PodSpec pod, VolumeMount mount) {
        assertNotNull(mount);
        Volume v = volume(pod, mount.getName());
        assertNotNull(v.getHostPath(), mount.getMountPath() + " is a hostPath");
        return v;
    }

    private static void assertSelects(Map<String, String> selector, Map<String, String> labels) {
        assertFalse(selector == null || selector.isEmpty(), "a selector");
        selector.forEach((k, v) -> assertEquals(v, labels.get(k), "label " + k));
    }
}
