package io.podhogs.export.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.FlowKey;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.capture.Addresses;
import io.podhogs.capture.ParsedPacket;
import io.podhogs.engine.Connections;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.FlowSnapshot;
import io.podhogs.export.CommandLines;
import io.podhogs.export.Levels;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.IdentityLookup;
import io.podhogs.identity.RemoteClass;
import io.podhogs.identity.RemotePeer;
import io.podhogs.names.DnsRing;
import io.podhogs.names.RemoteNames;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's connections name their remote ends: the cluster's name first, else a DNS answer's. */
class ApiViewNamesTest {
    private static final ProcessOwner CURL = new ProcessOwner(new ProcessInfo(7, 7, 0, "/usr/bin/curl", "curl",
            "p", CgroupIdentity.NONE), 0);

    private static FlowSnapshot flow(String remote, RemotePeer peer) {
        long[] local = Addresses.parse("10.0.0.2");
        long[] r = Addresses.parse(remote);
        return new FlowSnapshot(new FlowKey(3, ParsedPacket.TCP, local[0], local[1], 40000, r[0], r[1], 443, 0), CURL,
                peer, new Traffic(10, 1, 20, 1), false);
    }

    /** A DNS server's answer: {@code name} is 93.184.215.14. */
    private static byte[] answer(String name) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, (byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1, (byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 93, (byte) 184,
            (byte) 215, 14});
        return b.toByteArray();
    }

    @Test
    void theClustersNameElseTheDnsAnswersElseNone() {
        DnsRing ring = new DnsRing(4);
        RemoteNames names = RemoteNames.fromAnswers(ring);
        byte[] m = answer("www.example.com");
        ring.offer(m, 0, m.length, 3, false);
        names.readOnce();
        Traffic t = new Traffic(30, 3, 60, 3);
        EngineSnapshot s = new EngineSnapshot(Instant.EPOCH, List.of(new AccountSnapshot(new OwnerKey(CURL), Map.of(3, t),
                t, 0, 0, false, 0, 0)), List.of(), Map.of(3, "veth1"), 3, 0,
                new ResolverStats(0, 0, 0, 0, 0, 0, 0, 3), "any", Map.of());
        Connections listed = new Connections(List.of(flow("93.184.215.14", null),
                flow("10.96.0.10", new RemotePeer(RemoteClass.SERVICE, "kube-system", "kube-dns")),
                flow("198.51.100.7", null)), 0, 1);
        ApiView api = new ApiView(CommandLines.REDACTED, names);
        api.update(Levels.of(s, IdentityLookup.NONE, id -> null), listed, IdentityLookup.NONE, 1);
        assertEquals(List.of("www.example.com", "kube-system/kube-dns", ""),
                api.current().connections().stream().map(Rows.Connection::remoteName).toList());
    }
}
