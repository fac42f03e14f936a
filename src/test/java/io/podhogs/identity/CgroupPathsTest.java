package io.podhogs.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * /proc/PID/cgroup as each runtime and cgroup driver writes it, one row a shape: the file's
 * lines (separated by '|'), then the runtime, container ID, pod UID and QoS class read from it.
 * "C" stands for a 64-digit container ID, "U" for a pod UID with dashes, "W" for the same UID with
 * underscores (systemd slice names).
 */
class CgroupPathsTest {
    private static final String ID = "3f4e2c1b0a99887766554433221100ffeeddccbbaa99887766554433221100aa";
    private static final String NODE = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
    private static final String UID = "0f3c1a2b-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        // Docker, cgroupfs driver: v1 (every controller), v2, and a hybrid host's v1 lines with a bare v2 line
        "docker cgroupfs v1; 12:memory:/docker/C|11:cpu,cpuacct:/docker/C|1:name=systemd:/docker/C; docker; C; ; NONE",
        "docker cgroupfs v2; 0::/docker/C; docker; C; ; NONE",
        "docker hybrid; 0::/|4:pids:/docker/C|1:name=systemd:/docker/C; docker; C; ; NONE",
        // Docker, systemd driver
        "docker systemd v2; 0::/system.slice/docker-C.scope; docker; C; ; NONE",
        "docker systemd v1; 5:devices:/system.slice/docker-C.scope|1:name=systemd:/system.slice/docker-C.scope; docker; C; ; NONE",
        // kubelet, cgroupfs driver (containerd, CRI-O or Docker via --cgroup-parent: the path names none)
        "kubelet cgroupfs burstable; 0::/kubepods/burstable/podU/C; ; C; U; BURSTABLE",
        "kubelet cgroupfs besteffort v1; 3:cpu,cpuacct:/kubepods/besteffort/podU/C; ; C; U; BEST_EFFORT",
        "kubelet cgroupfs guaranteed; 0::/kubepods/podU/C; ; C; U; GUARANTEED",
        // kubelet, systemd driver, per runtime
        "containerd systemd burstable; 0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podW.slice/cri-containerd-C.scope; containerd; C; U; BURSTABLE",
        "containerd systemd guaranteed; 0::/kubepods.slice/kubepods-podW.slice/cri-containerd-C.scope; containerd; C; U; GUARANTEED",
        "cri-o systemd besteffort; 0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podW.slice/crio-C.scope; cri-o; C; U; BEST_EFFORT",
        "cri-o conmon is the pod's, no container; 0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podW.slice/crio-conmon-C.scope; ; ; U; BEST_EFFORT",
        "docker under kubelet systemd; 0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podW.slice/docker-C.scope; docker; C; U; BURSTABLE",
        "a process in the pod cgroup itself; 0::/kubepods/burstable/podU; ; ; U; BURSTABLE",
        // the agent in a private cgroup namespace sees paths relative to its own cgroup
        "private cgroupns, cgroupfs; 0::/../../../burstable/podU/C; ; C; U; BURSTABLE",
        "private cgroupns, reaching kubepods; 0::/../../kubepods/besteffort/podU/C; ; C; U; BEST_EFFORT",
        "private cgroupns, systemd; 0::/../../../kubepods-besteffort-podW.slice/cri-containerd-C.scope; containerd; C; U; BEST_EFFORT",
        "private cgroupns, guaranteed; 0::/../../podU/C; ; C; U; GUARANTEED",
        // Podman
        "podman rootful v2; 0::/machine.slice/libpod-C.scope/container; podman; C; ; NONE",
        "podman rootless; 0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-C.scope; podman; C; ; NONE",
        "podman cgroupfs; 0::/libpod_parent/libpod-C; podman; C; ; NONE",
        "podman conmon is no container; 0::/machine.slice/libpod-conmon-C.scope; ; ; ; NONE",
        // a kind node: a Docker container holding kubelet's pods; the innermost container is the pod's
        "kind node pod; 0::/docker/N/kubepods/burstable/podU/C; ; C; U; BURSTABLE",
        "kind node itself; 0::/docker/N/system.slice/containerd.service; docker; N; ; NONE",
        // no container: systemd units, sessions, the root, and what is not a path at all
        "systemd service; 0::/system.slice/containerd.service; ; ; ; NONE",
        "login session; 0::/user.slice/user-0.slice/session-4.scope|1:name=systemd:/user.slice/user-0.slice/session-4.scope; ; ; ; NONE",
        "root; 0::/; ; ; ; NONE",
        "init; 0::/init.scope; ; ; ; NONE",
        "a short id is no id; 0::/docker/3f4e2c1b0a99; ; ; ; NONE",
        "not hex; 0::/docker/zzzz2c1b0a99887766554433221100ffeeddccbbaa99887766554433221100aa; ; ; ; NONE",
        "no path; 12:memory; ; ; ; NONE",
        "empty; ''; ; ; ; NONE",
        "a uid-like name outside kubelet's shapes; 0::/system.slice/pod-0f3c1a2b.service; ; ; ; NONE",
    })
    void readsEachRuntimesShape(String shape, String file, String runtime, String container, String pod, QosClass qos) {
        List<String> lines = List.of(expand(file).split("\\|"));
        CgroupIdentity expected = new CgroupIdentity(blank(runtime), expand(blank(container)), expand(blank(pod)), qos);
        assertEquals(expected, CgroupPaths.parse(lines), shape);
    }

    /** Whatever a cgroup file holds, parsing it gives an answer, never an exception. */
    @org.junit.jupiter.api.Test
    void anyTextGivesAnAnswer() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "/:.-_0123456789abcdefpodkubesliceburstablescope" + ID + UID;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(200);
            for (int j = 0; j < length; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            CgroupIdentity identity = CgroupPaths.parse(List.of(b.toString().split("\\|")));
            assertEquals(identity.inContainer(), identity.containerId().length() == 64, b::toString);
        }
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }

    @org.junit.jupiter.api.Test
    void aPodSliceWhoseUidIsNotOneNamesNoPod() {
        // Found by CgroupPathsFuzzTest: any 36 hex digits, dashes and underscores passed for a UID.
        CgroupIdentity c = CgroupPaths.parsePath("/kubepods.slice/kubepods-besteffort.slice/"
                + "kubepods-besteffort-pod655350f3c1c2d_4e5f_8a9b_0c1d2e3f4a5b.slice/cri-containerd-" + ID + ".scope");
        assertEquals(new CgroupIdentity("containerd", ID, "", QosClass.NONE), c);
    }

    private static String expand(String s) {
        return s.replace("W", UID.replace('-', '_')).replace("U", UID).replace("N", NODE).replace("C", ID);
    }
}
