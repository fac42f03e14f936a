package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.QosClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real processes moved into real cgroups with kubelet's and Docker's path shapes: what the kernel
 * then shows in /proc/PID/cgroup is read back as their container and pod.
 */
class ProcessCgroupTest {
    /** A cgroup v1 hierarchy (this machine's hybrid layout), else the v2 one. */
    private static final Path HIERARCHY = Files.isDirectory(Path.of("/sys/fs/cgroup/pids"))
            ? Path.of("/sys/fs/cgroup/pids") : Path.of("/sys/fs/cgroup");

    private final List<Path> made = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        List<Path> reverse = new ArrayList<>(made);
        Collections.reverse(reverse);
        for (Path dir : reverse) {
            Files.deleteIfExists(dir); // rmdir of an empty cgroup removes it
        }
    }

    private Path cgroup(String relative) throws IOException {
        Path dir = HIERARCHY;
        for (String part : relative.split("/")) {
            dir = dir.resolve(part);
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir);
                made.add(dir);
            }
        }
        return dir;
    }

    private long sleeperIn(Path cgroup) throws IOException {
        Process p = new ProcessBuilder("sleep", "60").start();
        processes.add(p);
        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(p.pid()));
        return p.pid();
    }

    private static String containerId() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aProcessInAKubeletPodCgroupIsReadAsItsContainerAndPod() throws IOException {
        String uid = UUID.randomUUID().toString();
        String id = containerId();
        long pid = sleeperIn(cgroup("kubepods/burstable/pod" + uid + "/" + id));
        ProcessInfo info = new ProcessReader(HostFiles.system()).read((int) pid).orElseThrow();
        assertEquals(new CgroupIdentity("", id, uid, QosClass.BURSTABLE), info.cgroup(),
                () -> read("/proc/" + pid + "/cgroup"));
    }

    @Test
    void aProcessInADockerCgroupIsReadAsADockerContainer() throws IOException {
        String id = containerId();
        long pid = sleeperIn(cgroup("docker/" + id));
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
