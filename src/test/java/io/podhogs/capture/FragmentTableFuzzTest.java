package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Draws;
import io.podhogs.testing.Fuzz;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fragment table against a model that forgets nothing: whatever is remembered and asked, in
 * whatever order, a recall gives the ports of the datagram with exactly that key (the latest one
 * remembered) or nothing, never another datagram's; what it remembers is bounded by its size; and
 * what was just remembered is recalled.
 */
class FragmentTableFuzzTest {
    record Key(long srcHi, long srcLo, long dstHi, long dstLo, long id, int keyProtocol) {
    }

    record Value(int protocol, int srcPort, int dstPort) {
    }

    /** Remember (with a value) or recall (without) one key. */
    record Op(Key key, Value remember) {
    }

    record Ops(int size, List<Op> ops) {
    }

    private static final long[] ADDRESS_WORDS = {0, Addresses.V4_MAPPED_LO_PREFIX | 0x0a00_0001L,
            Addresses.V4_MAPPED_LO_PREFIX | 0x0a00_0002L, 0xfd77_0000_0000_0000L, 1};

    private static Key key(Draws d) {
        // Few distinct parts, so that keys share most of their fields and slots collide.
        return new Key(d.bool() ? ADDRESS_WORDS[d.below(ADDRESS_WORDS.length)] : d.int64(),
                ADDRESS_WORDS[d.below(ADDRESS_WORDS.length)], d.bool() ? 0 : d.int64(),
                ADDRESS_WORDS[d.below(ADDRESS_WORDS.length)],
                d.bool() ? d.below(4) : d.int32() & 0xffff_ffffL, d.pickInt(ParsedPacket.UDP, ParsedPacket.TCP, 60, 0, 255));
    }

    private static Ops ops(Draws d) {
        int size = 1 << d.below(7);
        List<Key> keys = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        int n = d.between(1, 200);
        for (int i = 0; i < n; i++) {
            Key k = keys.isEmpty() || d.oneIn(3) ? key(d) : keys.get(d.below(keys.size()));
            keys.add(k);
            ops.add(d.bool() ? new Op(k, new Value(d.pickInt(ParsedPacket.UDP, ParsedPacket.TCP), d.below(1 << 16),
                    d.below(1 << 16))) : new Op(k, null));
        }
        return new Ops(size, ops);
    }

    private static ParsedPacket packet(Key k) {
        ParsedPacket p = new ParsedPacket();
        p.srcHi = k.srcHi();
        p.srcLo = k.srcLo();
        p.dstHi = k.dstHi();
        p.dstLo = k.dstLo();
        p.protocol = k.keyProtocol();
        return p;
    }

    @Test
    void aRecallGivesTheLatestPortsOfItsOwnKeyOrNothing() {
        Fuzz.forAll("a recall gives its own key's latest ports or nothing", 2000, FragmentTableFuzzTest::ops, run -> {
            FragmentTable table = new FragmentTable(run.size());
            Map<Key, Value> model = new HashMap<>();
            for (Op op : run.ops()) {
                ParsedPacket p = packet(op.key());
                if (op.remember() != null) {
                    p.protocol = op.remember().protocol();
                    p.srcPort = op.remember().srcPort();
                    p.dstPort = op.remember().dstPort();
                    table.remember(p, op.key().id(), op.key().keyProtocol());
                    model.put(op.key(), op.remember());
                    ParsedPacket again = packet(op.key());
                    assertTrue(table.recall(again, op.key().id(), op.key().keyProtocol()), "just remembered");
                    assertEquals(op.remember(), new Value(again.protocol, again.srcPort, again.dstPort));
                } else if (table.recall(p, op.key().id(), op.key().keyProtocol())) {
                    assertEquals(model.get(op.key()), new Value(p.protocol, p.srcPort, p.dstPort), "recalled");
                } else {
                    assertEquals(new Value(op.key().keyProtocol(), 0, 0), new Value(p.protocol, p.srcPort, p.dstPort),
                            "a failed recall changes nothing");
                }
            }
            long recallable = model.keySet().stream()
                    .filter(k -> table.recall(packet(k), k.id(), k.keyProtocol())).count();
            assertTrue(recallable <= run.size(), recallable + " datagrams held in a table of " + run.size());
        });
    }
}
