package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.OwnerKey;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ContainerInfo;
import io.podhogs.identity.QosClass;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** --show-container in the top view: a column that 'c' turns from name to ID to image. */
class TopViewContainerColumnTest {
    private static final String ID = "00e135ce289be942af11e9aa4b0a4287f56f6471e5fe5d8fc71274fe3c69b0b1";

    private static AccountSnapshot process(int pid, String program, CgroupIdentity cgroup, long netns) {
        Traffic t = new Traffic(5000, 5, 7000, 7);
        return new AccountSnapshot(new OwnerKey(new ProcessOwner(new ProcessInfo(pid, pid, 0, program, program, "p", cgroup), netns)),
                Map.of(3, t), t, 100, 200, false, 0, 0);
    }

    private static EngineSnapshot snapshot() {
        return new EngineSnapshot(Instant.EPOCH, List.of(
                process(7, "/usr/sbin/nginx", new CgroupIdentity("docker", ID, "", QosClass.NONE), 4026532301L),
                process(8, "/usr/bin/curl", CgroupIdentity.NONE, 0)),
                List.of(), Map.of(3, "veth1"), 2, 0, new ResolverStats(0, 0, 0, 0, 0, 0, 0, 2), "any", Map.of());
    }

    private static String rowOf(List<String> lines, int pid) {
        return lines.stream().filter(l -> l.matches("^ *" + pid + " .*")).findFirst().orElseThrow();
    }

    @Test
    void theColumnShowsTheNameThenTheIdThenTheImage() {
        RowFormat format = new RowFormat(ViewMode.KB_PER_SECOND, false, false, false)
                .withContainerLabels(c -> "web-1");
        IdentityLookup docker = new IdentityLookup() {
            @Override
            public Optional<ContainerInfo> container(String id) {
                return id.equals(ID) ? Optional.of(new ContainerInfo(ID, "web-1", "nginx:1.27", Map.of(), "running"))
                        : Optional.empty();
            }

            @Override
            public io.podhogs.identity.PodDirectory pods() {
                return io.podhogs.identity.PodDirectory.EMPTY;
            }
        };
        TopView view = new TopView(null, new UserNames(HostFiles.system()), "podhogs", format, docker);
        List<String> lines = view.lines(snapshot(), 140, 20);
        assertTrue(lines.get(3).matches("^ +PID +USER +NETNS +CONTAINER +PROGRAM +DEV +SENT .*"), lines.get(3));
        assertTrue(rowOf(lines, 7).matches("^ +7 +\\S+ +4026532301 +web-1 +/usr/sbin/nginx +veth1 .*"), rowOf(lines, 7));
        assertTrue(rowOf(lines, 8).matches("^ +8 +\\S+ +host +/usr/bin/curl +veth1 .*"), "no container: " + rowOf(lines, 8));

        assertTrue(view.handleKey('c'));
        lines = view.lines(snapshot(), 140, 20);
        assertTrue(lines.get(3).contains("CONTAINER ID"), lines.get(3));
        assertTrue(rowOf(lines, 7).contains(" 00e135ce289b "), rowOf(lines, 7));

        assertTrue(view.handleKey('c'));
        lines = view.lines(snapshot(), 140, 20);
        assertTrue(lines.get(3).matches("^ +PID +USER +NETNS +IMAGE +PROGRAM .*"), lines.get(3));
        assertTrue(rowOf(lines, 7).contains(" nginx:1.27 "), rowOf(lines, 7));
        assertEquals(140, lines.get(3).length(), "the header still fills the width");
    }

    @Test
    void withoutShowContainerThereIsNoColumnAndCDoesNothing() {
        TopView view = new TopView(null, new UserNames(HostFiles.system()), "podhogs",
                new RowFormat(ViewMode.KB_PER_SECOND, false, false, false));
        assertFalse(view.handleKey('c'));
        List<String> lines = view.lines(snapshot(), 140, 20);
        assertFalse(lines.get(3).contains("CONTAINER"), lines.get(3));
    }
}
