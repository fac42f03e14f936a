package io.podhogs.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.podhogs.host.HostFiles;
import io.podhogs.identity.Cidr;
import io.podhogs.identity.kubernetes.KubernetesOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSettingsTest {
    private static final SettingNames NAMES = new SettingNames("podhogs.buffer-mib", "podhogs.kubernetes.mode",
            "podhogs.kubernetes.pod-cidrs", "podhogs.kubernetes.service-cidrs");

    @TempDir
    Path root;
    private HostFiles host;

    @BeforeEach
    void hostNamedWeb1() throws IOException {
        host = new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
        Files.createDirectories(host.proc("sys", "kernel"));
        Files.writeString(host.proc("sys", "kernel", "hostname"), "Web-1\n");
    }

    private static ClusterSettings settings(String mode, List<String> pods, List<String> services) {
        return new ClusterSettings(mode, Optional.of("node-a"), pods, services, true, Duration.ofSeconds(42));
    }

    @Test
    void autoGivesTheWatchItsOptions() {
        Optional<KubernetesOptions> options = settings("auto", List.of("10.244.0.0/16"), List.of("fd00:96::/108"))
                .options(host, NAMES);
        assertEquals(Optional.of(new KubernetesOptions("node-a", List.of(Cidr.parse("10.244.0.0/16")),
                List.of(Cidr.parse("fd00:96::/108")), true, Duration.ofSeconds(42), KubernetesOptions.DEFAULT_RESYNC)),
                options);
    }

    @Test
    void offGivesNoOptions() {
        assertEquals(Optional.empty(), settings("off", List.of("10.244.0.0/16"), List.of()).options(host, NAMES));
    }

    @Test
    void anotherModeIsRefusedByItsSettingsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings("maybe", List.of(), List.of()).options(host, NAMES));
        assertEquals("podhogs.kubernetes.mode is auto or off, not maybe", e.getMessage());
    }

    @Test
    void aRangeThatIsNoneIsRefusedByItsSettingsNameEvenWithKubernetesOff() {
        for (String mode : List.of("auto", "off")) {
            IllegalArgumentException pods = assertThrows(IllegalArgumentException.class,
                    () -> settings(mode, List.of("10.244.0.0"), List.of()).options(host, NAMES));
            assertEquals("podhogs.kubernetes.pod-cidrs: not an address range: '10.244.0.0' (like 10.244.0.0/16 or"
                    + " fd00::/108)", pods.getMessage());
            IllegalArgumentException services = assertThrows(IllegalArgumentException.class,
                    () -> settings(mode, List.of(), List.of("10.96.0.0/40")).options(host, NAMES));
            assertEquals("podhogs.kubernetes.service-cidrs: prefix length 40 is too long in '10.96.0.0/40'",
                    services.getMessage());
        }
    }

    @Test
    void theNodeIsTheOneGivenElseNodeNameElseTheHostsNameInLowerCase() {
        assertEquals("node-a", ClusterSettings.nodeName(Optional.of("node-a"), "from-env", host));
        assertEquals("from-env", ClusterSettings.nodeName(Optional.of(" "), "from-env", host));
        assertEquals("from-env", ClusterSettings.nodeName(Optional.empty(), "from-env", host));
        assertEquals("web-1", ClusterSettings.nodeName(Optional.empty(), null, host));
        assertEquals("web-1", ClusterSettings.nodeName(Optional.empty(), "", host));
    }

    @Test
    void aHostWithoutAHostnameFileGivesAnEmptyName() throws IOException {
        Files.delete(host.proc("sys", "kernel", "hostname"));
        assertEquals("", ClusterSettings.nodeName(Optional.empty(), null, host));
    }
}
