package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.QosClass;
import io.podhogs.testing.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real processes moved into real cgroups with kubelet's and Docker's path shapes: what the kernel
 * then shows in /proc/PID/cgroup is read back as their container and pod.
 */
class ProcessCgroupTest {
    private final Cgroups cgroups = new Cgroups();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        cgroups.close();
    }

    private long sleeperIn(Path cgroup) throws IOException {
        Process p = new ProcessBuilder("sleep", "60").start();
        processes.add(p);
        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(p.pid()));
        return p.pid();
    }

    @Test
    void aProcessInAKubeletPodCgroupIsReadAsItsContainerAndPod() throws IOException {
        String uid = UUID.randomUUID().toString();
        String id = Cgroups.containerId();
        long pid = sleeperIn(cgroups.kubeletContainer(uid, id));
        ProcessInfo info = new ProcessReader(HostFiles.system()).read((int) pid).orElseThrow();
        assertEquals(new CgroupIdentity("", id, uid, QosClass.BURSTABLE), info.cgroup(),
                () -> read("/proc/" + pid + "/cgroup"));
    }

    @Test
    void aProcessInADockerCgroupIsReadAsADockerContainer() throws IOException {
        String id = Cgroups.containerId();
        long pid = sleeperIn(cgroups.cgroup("docker/" + id));
        ProcessInfo info = new ProcessReader(HostFiles.system()).read((int) pid).orElseThrow();
        assertEquals(new CgroupIdentity("docker", id, "", QosClass.NONE), info.cgroup(),
                () -> read("/proc/" + pid + "/cgroup"));
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
