package io.podhogs.plugin;

import java.util.Locale;
import java.util.List;

/**
 * One question to the cluster, as the command line put it.
 *
 * @param namespace only rows of this namespace (client side), or null for every one (-A)
 * @param node only this node's agent is asked, or null for all
 * @param window the agent's rate window: 2s, 10s or 40s
 */
record Query(View view, String namespace, LabelSelector selector, String node, SortKey sort, String window,
             Output output, Units units, boolean noHeaders) {
    static final List<String> WINDOWS = List.of("2s", "10s", "40s");

    enum Output {
        TABLE, WIDE, JSON, YAML;

        static Output parse(String text) {
            if (text == null || text.isEmpty()) {
                return TABLE;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "wide" -> WIDE;
                case "json" -> JSON;
                case "yaml" -> YAML;
                default -> throw PluginException.usage("unknown output format \"" + text + "\": use wide, json or yaml");
            };
        }

        boolean table() {
            return this == TABLE || this == WIDE;
        }
    }

    /** --sort-by: numbers largest first, names in order; ties in name order, so output is stable. */
    enum SortKey {
        TOTAL("total"), TX("tx"), RX("rx"), BYTES("bytes"), TX_BYTES("tx-bytes"), RX_BYTES("rx-bytes"),
        IN_CLUSTER("in-cluster"), INTERNET("internet"), NAME("name");

        final String word;

        SortKey(String word) {
            this.word = word;
        }

        static SortKey parse(String text) {
            for (SortKey k : values()) {
                if (k.word.equalsIgnoreCase(text)) {
                    return k;
                }
            }
            throw PluginException.usage("unknown --sort-by \"" + text + "\": use total, tx, rx, bytes, tx-bytes,"
                    + " rx-bytes, in-cluster, internet or name");
        }
    }

    boolean allNamespaces() {
        return namespace == null;
    }
}
