package io.podhogs.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Fuzz;
import io.podhogs.testing.TextGen;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /proc/PID/cgroup read from the real shapes (src/test/resources/proc/cgroup-*) mutated, and from
 * garbage: nothing throws, and whatever is read is a runtime podhogs knows, a 64-hex container ID
 * and a pod UID in its canonical form, or nothing.
 */
class CgroupPathsFuzzTest {
    private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern POD_UID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Test
    void anyCgroupFileReadsAsAnIdentityInItsDomain() {
        Fuzz.forAll("any cgroup file reads as an identity in its domain", 3000,
                d -> TextGen.lines(d, d.pick("cgroup-v1", "cgroup-v2", "cgroup-nested")), lines -> {
                    CgroupIdentity c = CgroupPaths.parse(lines);
                    assertTrue(Set.of("", "docker", "containerd", "cri-o", "podman").contains(c.runtime()), c::toString);
                    assertTrue(c.containerId().isEmpty() || CONTAINER_ID.matcher(c.containerId()).matches(), c::toString);
                    assertTrue(c.podUid().isEmpty() || POD_UID.matcher(c.podUid()).matches(), c::toString);
                    assertEquals(c.inPod(), c.qos() != QosClass.NONE, c::toString);
                    assertTrue(c.inContainer() || c.runtime().isEmpty(), c::toString);
                    c.shortLabel();
                });
    }

    @Test
    void theSamplesReadAsWhatTheyName() {
        String id = "3f4e2c1b0a99887766554433221100ffeeddccbbaa99887766554433221100aa";
        String uid = "0f3c1a2b-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
        assertEquals(new CgroupIdentity("", id, uid, QosClass.BURSTABLE), CgroupPaths.parse(TextGen.sample("cgroup-v1")));
        assertEquals(new CgroupIdentity("containerd", id, uid, QosClass.BEST_EFFORT),
                CgroupPaths.parse(TextGen.sample("cgroup-v2")));
        assertEquals(List.of(new CgroupIdentity("cri-o", id, uid, QosClass.BURSTABLE)),
                List.of(CgroupPaths.parse(TextGen.sample("cgroup-nested").subList(0, 1))));
    }
}
