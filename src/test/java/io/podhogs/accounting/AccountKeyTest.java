package io.podhogs.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.attribution.UnknownOwner;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.QosClass;
import io.podhogs.identity.Workload;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each account key is called, where its bytes are, and JSON's kind for it. */
class AccountKeyTest {
    private static final CgroupIdentity WEB = new CgroupIdentity("docker", "a".repeat(64), "uid-web", QosClass.NONE);
    private static final Workload DEPLOY = new Workload("Deployment", "web");
    private static final ProcessOwner CURL = new ProcessOwner(new ProcessInfo(42, 7, 0, "curl", "curl x", "curl", WEB),
            4026532301L);

    @Test
    void everyKeyHasTheKindJsonHasAlwaysWritten() {
        Map<AccountKey, String> kinds = new LinkedHashMap<>();
        kinds.put(new OwnerKey(CURL), "process");
        kinds.put(new OwnerKey(UnknownOwner.TCP), "unknown");
        kinds.put(new OwnerKey(UnknownOwner.NAMESPACES_GONE), "unknown");
        kinds.put(new OwnerKey(UnknownOwner.untracked(0)), "untracked");
        kinds.put(new OwnerKey(UnknownOwner.untracked(4026532301L)), "untracked");
        kinds.put(new OwnerKey(TransitOwner.FORWARDED), "forwarded");
        kinds.put(new OwnerKey(TransitOwner.ENCAPSULATED), "encapsulated");
        kinds.put(new OwnerKey(TransitOwner.encapsulated(4026532301L)), "encapsulated");
        kinds.put(new ExitedProcessesKey(WEB, 4026532301L), "exited_processes");
        kinds.put(new RetiredPodsKey("shop", DEPLOY), "deleted_pods");
        kinds.put(new ContainerKey(WEB, "web", 4026532301L), "container");
        kinds.put(new PodKey("uid-web", "shop", "web-1", DEPLOY, 4026532301L), "pod");
        kinds.put(new NamespaceKey("shop"), "namespace");
        kinds.put(new WorkloadKey("shop", DEPLOY), "workload");
        kinds.forEach((key, kind) -> assertEquals(kind, key.kind().label(), key::toString));
        assertTrue(new OwnerKey(TransitOwner.FORWARDED).kind().transit());
        assertTrue(new OwnerKey(TransitOwner.ENCAPSULATED).kind().transit());
        assertFalse(new OwnerKey(UnknownOwner.TCP).kind().transit());
    }

    @Test
    void anOwnersKeyIsTheOwnersNameNamespaceAndProcess() {
        OwnerKey curl = new OwnerKey(CURL);
        assertEquals("curl", curl.name());
        assertEquals(4026532301L, curl.netns());
        assertSame(CURL, curl.process());
        assertEquals(WEB, curl.cgroup());
        assertEquals(curl, new OwnerKey(new ProcessOwner(new ProcessInfo(42, 7, 0, "other", "other", "other",
                CgroupIdentity.NONE), 0)), "a process is its PID and start time");

        OwnerKey unknown = new OwnerKey(UnknownOwner.of(6, 4026532301L));
        assertNull(unknown.process());
        assertEquals(CgroupIdentity.NONE, unknown.cgroup());
        assertEquals("unknown TCP [net:4026532301]", unknown.name());
    }

    @Test
    void theLevelsAreNamedAsTheRowsShowThem() {
        assertEquals("shop/web-1", new PodKey("uid-web", "shop", "web-1", DEPLOY, 0).name());
        assertEquals("pod:uid-x", new PodKey("uid-x", "", "", null, 0).name(), "a pod the API has not named");
        assertEquals("shop/Deployment/web", new WorkloadKey("shop", DEPLOY).name());
        assertEquals("deleted pods of shop/?", new RetiredPodsKey("shop", null).name());
        assertEquals("exited processes", new ExitedProcessesKey(WEB, 0).name());
        assertEquals(WEB, new ExitedProcessesKey(WEB, 0).cgroup());
        assertEquals(WEB, new ContainerKey(WEB, "web", 0).cgroup());
        assertEquals(-1, new NamespaceKey("shop").netns());
    }
}
