package io.podhogs.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.podhogs.capture.Addresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RemoteClassifierTest {
    /** A two-node cluster, dual stack: this node's pods 10.244.1.0/24, the other's 10.244.2.0/24. */
    private static final RemoteClassifier CLUSTER = RemoteClassifier.builder(7)
            .address("10.244.1.5", new RemotePeer(RemoteClass.SAME_NODE_POD, "shop", "web-1"))
            .address("10.244.2.9", new RemotePeer(RemoteClass.OTHER_NODE_POD, "shop", "db-0"))
            .address("192.168.50.11", new RemotePeer(RemoteClass.NODE, "", "node-1"))
            .address("192.168.50.12", new RemotePeer(RemoteClass.NODE, "", "node-2"))
            .address("10.96.0.10", new RemotePeer(RemoteClass.SERVICE, "kube-system", "kube-dns"))
            .address("fd00:96::a", new RemotePeer(RemoteClass.SERVICE, "kube-system", "kube-dns"))
            .address("not-an-ip", new RemotePeer(RemoteClass.NODE, "", "typo"))
            .range(Cidr.parse("10.244.1.0/24"), RemotePeer.of(RemoteClass.SAME_NODE_POD))
            .range(Cidr.parse("10.244.2.0/24"), RemotePeer.of(RemoteClass.OTHER_NODE_POD))
            .range(Cidr.parse("10.244.0.0/16"), RemotePeer.of(RemoteClass.OTHER_NODE_POD))
            .range(Cidr.parse("10.96.0.0/12"), RemotePeer.of(RemoteClass.SERVICE))
            .range(Cidr.parse("fd00:96::/108"), RemotePeer.of(RemoteClass.SERVICE))
            .range(Cidr.parse("fd00:10:244:1::/64"), RemotePeer.of(RemoteClass.SAME_NODE_POD))
            .build();

    @ParameterizedTest(name = "{0} is {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # address          | class          | name
            10.244.1.5         | same_node_pod  | shop/web-1
            10.244.1.77        | same_node_pod  | ''
            10.244.2.9         | other_node_pod | shop/db-0
            10.244.2.10        | other_node_pod | ''
            10.244.200.1       | other_node_pod | ''
            10.96.0.10         | service        | kube-system/kube-dns
            10.100.3.4         | service        | ''
            fd00:96::a         | service        | kube-system/kube-dns
            fd00:96::1:2       | service        | ''
            fd00:10:244:1::17  | same_node_pod  | ''
            192.168.50.12      | node           | node-2
            192.168.50.13      | external       | ''
            127.0.0.1          | node           | ''
            ::1                | node           | ''
            8.8.8.8            | external       | ''
            2001:db8::1        | external       | ''
            10.245.0.1         | external       | ''
            169.254.169.254    | link_local     | ''
            169.254.20.10      | link_local     | ''
            224.0.0.251        | link_local     | ''
            255.255.255.255    | link_local     | ''
            fe80::1            | link_local     | ''
            ff02::16           | link_local     | ''
            ff05::1:3          | link_local     | ''
            fec0::1            | external       | ''
            """)
    void addressesAreClassifiedExactFirstThenLongestRange(String address, String remoteClass, String name) {
        long[] a = Addresses.parse(address);
        RemotePeer peer = CLUSTER.classify(a[0], a[1]);
        assertEquals(remoteClass, peer.remoteClass().label());
        assertEquals(name, peer.qualifiedName());
    }

    @Test
    void multicastReceivedFromANodeStaysOnTheLink() {
        long[] group = Addresses.parse("224.0.0.22");
        long[] node = Addresses.parse("192.168.50.12");
        long[] pod = Addresses.parse("10.244.1.5");
        assertEquals(RemoteClass.LINK_LOCAL, CLUSTER.classify(group[0], group[1], node[0], node[1]).remoteClass());
        assertEquals(RemoteClass.NODE, CLUSTER.classify(pod[0], pod[1], node[0], node[1]).remoteClass());
    }

    @Test
    void withoutAClusterNothingIsClassified() {
        long[] a = Addresses.parse("8.8.8.8");
        assertNull(RemoteClassifier.NONE.classify(a[0], a[1]));
    }

    @Test
    void theClassifierOfAnEmptyClusterCallsEverythingButLoopbackExternal() {
        RemoteClassifier empty = RemoteClassifier.builder(1).build();
        long[] a = Addresses.parse("10.0.0.1");
        assertEquals(RemoteClass.EXTERNAL, empty.classify(a[0], a[1]).remoteClass());
    }

    @Test
    void manyAddressesAllFoundAgain() {
        RemoteClassifier.Builder b = RemoteClassifier.builder(2);
        for (int i = 0; i < 5000; i++) {
            b.address("10.1." + (i / 256) + "." + (i % 256), new RemotePeer(RemoteClass.OTHER_NODE_POD, "ns", "p" + i));
        }
        RemoteClassifier c = b.build();
        for (int i = 0; i < 5000; i++) {
            long[] a = Addresses.parse("10.1." + (i / 256) + "." + (i % 256));
            assertEquals("p" + i, c.classify(a[0], a[1]).name());
        }
    }

    @ParameterizedTest
    @CsvSource({"10.244.0.0", "10.244.0.0/33", "fd00::/129", "eth0/24", "10.244.0.0/x", "example.com/16"})
    void badRangesAreRefusedWithoutANameLookup(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"10.244.3.7/16, 10.244.0.0/16", "fd00:10::1/64, fd00:10:0:0:0:0:0:0/64", "0.0.0.0/0, 0.0.0.0/0"})
    void rangesKeepOnlyTheirPrefix(String text, String shown) {
        assertEquals(shown, Cidr.parse(text).toString());
    }
}
